-- Reference for tests/test_street_sums.py: coverage_by_community as it counted per household (household_status /
-- household_milestones), before the per-community sums (area_change).
-- was: coverage_by_community — progress of each community against the plan as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- Drill-down narrows $street_ids to one street; a user's scope narrows it further.
WITH s AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE)
), communities AS (
    SELECT * FROM district_communities($programme_id, $street_ids)
), agg AS (
    SELECT c.community_id, c.community_name, c.street_id, c.street_name,
           count(s.household_id)                        AS target,
           count(*) FILTER (WHERE s.surveyed)           AS surveyed,
           count(*) FILTER (WHERE s.installed)          AS installed,
           count(*) FILTER (WHERE s.verified)           AS verified,
           count(*) FILTER (WHERE s.hazard_open)        AS hazards_open,
           count(*) FILTER (WHERE s.gas_cut)            AS gas_cut,
           count(*) FILTER (WHERE s.refused)            AS refused
    FROM communities c
    LEFT JOIN s ON s.community_id = c.community_id
    GROUP BY ALL
)
SELECT * EXCLUDE (p), unnest(p)
FROM (SELECT *, against_plan($programme_id, $as_of::DATE, target, installed) AS p FROM agg)
ORDER BY street_id, community_id;
