-- Reference for tests/test_street_sums.py: coverage_by_street as it counted per household (household_status /
-- household_milestones), before the per-community sums (area_change).
-- was: coverage_by_street — progress of each street against the plan as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- One row per street of the programme's district (streets with no households included),
-- plus one row for households that fell outside every street when the scope is the district.
WITH s AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE)
), streets AS (
    SELECT * FROM district_streets($programme_id, $street_ids)
    WHERE street_id IS NOT NULL OR EXISTS (SELECT 1 FROM s WHERE street_id IS NULL)
), agg AS (
    SELECT st.street_id, st.street_name,
           count(s.household_id)                        AS target,
           count(*) FILTER (WHERE s.surveyed)           AS surveyed,
           count(*) FILTER (WHERE s.installed)          AS installed,
           count(*) FILTER (WHERE s.verified)           AS verified,
           count(*) FILTER (WHERE s.hazard_open)        AS hazards_open,
           count(*) FILTER (WHERE s.gas_cut)            AS gas_cut,
           count(*) FILTER (WHERE s.refused)            AS refused
    FROM streets st
    LEFT JOIN s ON s.street_id IS NOT DISTINCT FROM st.street_id
    GROUP BY ALL
)
SELECT * EXCLUDE (p), unnest(p)
FROM (SELECT *, against_plan($programme_id, $as_of::DATE, target, installed) AS p FROM agg)
ORDER BY street_id NULLS LAST;
