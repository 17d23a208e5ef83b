-- name: programme_kpis_dates — programme_kpis on several dates in one call (business date): one row per date.
-- params: $programme_id, $dates (DATE[]), $street_ids (VARCHAR[] or NULL = whole district)
-- The same row as programme_kpis on each date (known_at NULL), with the date in as_of, ordered
-- by date. The 周报 reads three (this week, a week and four weeks ago); the as-published view
-- stays programme_kpis', one date per call.
WITH p AS (
    SELECT target_households FROM programme WHERE programme_id = $programme_id
)
SELECT
    as_of,
    CASE WHEN $street_ids IS NULL THEN coalesce((SELECT target_households FROM p), registered)
         ELSE registered END                                AS target,
    * EXCLUDE (as_of),
    plan_fraction($programme_id, 'survey', as_of)           AS plan_survey_fraction,
    plan_fraction($programme_id, 'install', as_of)          AS plan_fraction
FROM scope_counts($programme_id, $dates, $street_ids)
ORDER BY as_of;
