-- Reference for tests/test_street_sums.py: coverage_by_community as it counted per household (household_status /
-- household_milestones), before the per-community sums (area_change).
-- was: coverage_by_community — progress of each community against the plan as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- Drill-down narrows $street_ids to one street; a user's scope narrows it further.
WITH s AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE)
), communities AS (
    SELECT c.region_id AS community_id, c.name AS community_name,
           st.region_id AS street_id, st.name AS street_name
    FROM region c
    JOIN region st ON c.parent_id = st.region_id AND st.level = 'street'
    JOIN programme p ON st.parent_id = p.district_id
    WHERE p.programme_id = $programme_id AND c.level = 'community'
      AND ($street_ids IS NULL OR list_contains($street_ids, st.region_id))
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
SELECT *,
       CASE WHEN target > 0 THEN installed / target END                      AS completion,
       plan_fraction($programme_id, 'install', $as_of::DATE)                 AS plan,
       round(target * plan_fraction($programme_id, 'install', $as_of::DATE)) AS plan_installed,
       installed - round(target * plan_fraction($programme_id, 'install', $as_of::DATE))
                                                                             AS gap_to_plan
FROM agg
ORDER BY street_id, community_id;
