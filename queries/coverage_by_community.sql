-- name: coverage_by_community — progress of each community against the plan as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- Drill-down narrows $street_ids to one street; a user's scope narrows it further.
-- Counts come from the stored per-community changes (area_status): the same
-- numbers as grouping household_status, without reading every household.
WITH s AS (
    SELECT * FROM area_status($programme_id, $as_of::DATE)
), communities AS (
    SELECT * FROM district_communities($programme_id, $street_ids)
), agg AS (
    SELECT c.community_id, c.community_name, c.street_id, c.street_name,
           coalesce(sum(s.households), 0)::BIGINT  AS target,
           coalesce(sum(s.surveyed), 0)::BIGINT    AS surveyed,
           coalesce(sum(s.installed), 0)::BIGINT   AS installed,
           coalesce(sum(s.verified), 0)::BIGINT    AS verified,
           coalesce(sum(s.hazard_open), 0)::BIGINT AS hazards_open,
           coalesce(sum(s.gas_cut), 0)::BIGINT     AS gas_cut,
           coalesce(sum(s.refused), 0)::BIGINT     AS refused
    FROM communities c
    LEFT JOIN s ON s.community_id = c.community_id
    GROUP BY ALL
)
SELECT * EXCLUDE (p), unnest(p)
FROM (SELECT *, against_plan($programme_id, $as_of::DATE, target, installed) AS p FROM agg)
ORDER BY street_id, community_id;
