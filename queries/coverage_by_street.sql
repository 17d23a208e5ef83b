-- name: coverage_by_street — progress of each street against the plan as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- One row per street of the programme's district (streets with no households included),
-- plus one row for households that fell outside every street when the scope is the district.
-- Counts come from the stored per-community changes summed per street (street_status):
-- the same numbers as grouping household_status, without reading every household.
WITH s AS (
    SELECT * FROM street_status($programme_id, [$as_of::DATE])
), streets AS (
    SELECT * FROM district_streets($programme_id, $street_ids)
    WHERE street_id IS NOT NULL OR EXISTS (SELECT 1 FROM s WHERE street_id IS NULL)
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
SELECT * EXCLUDE (p), unnest(p)
FROM (SELECT *, against_plan($programme_id, $as_of::DATE, target, installed) AS p FROM agg)
ORDER BY street_id NULLS LAST;
