-- name: coverage_by_street — progress of each street against the plan as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- One row per street of the programme's district (streets with no households included),
-- plus one row for households that fell outside every street when the scope is the district.
-- Counts come from the stored per-community changes summed per street (street_status):
-- the same numbers as grouping household_status, without reading every household.
WITH s AS (
    SELECT * FROM street_status($programme_id, [$as_of::DATE])
), streets AS (
    SELECT r.region_id AS street_id, r.name AS street_name
    FROM region r JOIN programme p ON r.parent_id = p.district_id
    WHERE p.programme_id = $programme_id AND r.level = 'street'
      AND ($street_ids IS NULL OR list_contains($street_ids, r.region_id))
    UNION ALL
    SELECT NULL, '（未落入任何街道）'
    WHERE $street_ids IS NULL AND EXISTS (SELECT 1 FROM s WHERE street_id IS NULL)
), agg AS (
    SELECT st.street_id, st.street_name,
           coalesce(s.households, 0)::BIGINT  AS target,
           coalesce(s.surveyed, 0)::BIGINT    AS surveyed,
           coalesce(s.installed, 0)::BIGINT   AS installed,
           coalesce(s.verified, 0)::BIGINT    AS verified,
           coalesce(s.hazard_open, 0)::BIGINT AS hazards_open,
           coalesce(s.gas_cut, 0)::BIGINT     AS gas_cut,
           coalesce(s.refused, 0)::BIGINT     AS refused
    FROM streets st
    LEFT JOIN s ON s.street_id IS NOT DISTINCT FROM st.street_id
)
SELECT *,
       CASE WHEN target > 0 THEN installed / target END                      AS completion,
       plan_fraction($programme_id, 'install', $as_of::DATE)                 AS plan,
       round(target * plan_fraction($programme_id, 'install', $as_of::DATE)) AS plan_installed,
       installed - round(target * plan_fraction($programme_id, 'install', $as_of::DATE))
                                                                             AS gap_to_plan
FROM agg
ORDER BY street_id NULLS LAST;
