-- name: programme_kpis — the headline numbers of one programme as of a date, within a scope.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = whole district), $known_at (TIMESTAMP or NULL)
-- $known_at: count only records that reached Anju before it (as published); NULL = business date as known now.
-- target is the programme's official figure for the whole district; within a narrower
-- scope it is the number of registered households there.
-- Business date: from the stored per-community changes summed per street (scope_counts;
-- programme_kpis_dates reads several dates in one call); as published
-- ($known_at): per household from the events (not on the pages' hot path).
WITH s AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE, p_known_at := $known_at)
    WHERE $known_at IS NOT NULL AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
), counts AS (
    SELECT * EXCLUDE (as_of) FROM scope_counts($programme_id, [$as_of::DATE], $street_ids)
    WHERE $known_at IS NULL
    UNION ALL
    SELECT count(*),
           count(*) FILTER (WHERE gas_type = 'piped'),
           count(*) FILTER (WHERE gas_type = 'lpg'),
           count(*) FILTER (WHERE surveyed),
           count(*) FILTER (WHERE installed),
           count(*) FILTER (WHERE verified),
           count(*) FILTER (WHERE hazard_open),
           count(*) FILTER (WHERE gas_cut),
           count(*) FILTER (WHERE refused),
           count(*) FILTER (WHERE placement <> 'inside')
    FROM s
    HAVING $known_at IS NOT NULL
), p AS (
    SELECT target_households FROM programme WHERE programme_id = $programme_id
)
SELECT
    CASE WHEN $street_ids IS NULL THEN coalesce((SELECT target_households FROM p), registered)
         ELSE registered END                                AS target,
    registered,
    piped,
    lpg,
    surveyed,
    installed,
    verified,
    hazards_open,
    gas_cut,
    refused,
    unplaced,
    plan_fraction($programme_id, 'survey', $as_of::DATE)    AS plan_survey_fraction,
    plan_fraction($programme_id, 'install', $as_of::DATE)   AS plan_fraction
FROM counts;
