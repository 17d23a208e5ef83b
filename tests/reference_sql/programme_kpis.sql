-- Reference for tests/test_street_sums.py: programme_kpis as it counted per household (household_status /
-- household_milestones), before the per-community sums (area_change).
-- was: programme_kpis — the headline numbers of one programme as of a date, within a scope.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = whole district), $known_at (TIMESTAMP or NULL)
-- $known_at: count only records that reached Anju before it (as published); NULL = business date as known now.
-- target is the programme's official figure for the whole district; within a narrower
-- scope it is the number of registered households there.
WITH s AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE, p_known_at := $known_at)
    WHERE $street_ids IS NULL OR list_contains($street_ids, street_id)
), p AS (
    SELECT target_households FROM programme WHERE programme_id = $programme_id
)
SELECT
    CASE WHEN $street_ids IS NULL THEN coalesce((SELECT target_households FROM p), count(*))
         ELSE count(*) END                                  AS target,
    count(*)                                                AS registered,
    count(*) FILTER (WHERE gas_type = 'piped')              AS piped,
    count(*) FILTER (WHERE gas_type = 'lpg')                AS lpg,
    count(*) FILTER (WHERE surveyed)                        AS surveyed,
    count(*) FILTER (WHERE installed)                       AS installed,
    count(*) FILTER (WHERE verified)                        AS verified,
    count(*) FILTER (WHERE hazard_open)                     AS hazards_open,
    count(*) FILTER (WHERE gas_cut)                         AS gas_cut,
    count(*) FILTER (WHERE refused)                         AS refused,
    count(*) FILTER (WHERE placement <> 'inside')           AS unplaced,
    plan_fraction($programme_id, 'survey', $as_of::DATE)    AS plan_survey_fraction,
    plan_fraction($programme_id, 'install', $as_of::DATE)   AS plan_fraction
FROM s;
