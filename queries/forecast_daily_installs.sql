-- name: forecast_daily_installs — installs per street and day up to a date, the history the finish-date forecast is fitted to.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $known_at (TIMESTAMP or NULL)
-- $known_at: count only records that reached Anju before it (as published); NULL = business date as known now.
-- By business date from the per-street daily sums (street_milestones over area_change: a few
-- thousand rows, never the households), as weekly_progress counts them; as published per
-- household from the events (not on the pages' hot path). Days without installs are absent.
-- street_id NULL: households outside every street (district scope only).
WITH m AS (
    SELECT * FROM household_milestones($programme_id, $as_of::DATE, p_known_at := $known_at)
    WHERE $known_at IS NOT NULL AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
), days AS (
    SELECT street_id, on_day, installed
    FROM street_milestones($programme_id, $as_of::DATE)
    WHERE $known_at IS NULL AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
      AND installed <> 0
    UNION ALL
    SELECT street_id, installed_on, 1 FROM m WHERE installed_on IS NOT NULL
)
SELECT street_id, on_day, sum(installed)::BIGINT AS installed
FROM days
WHERE on_day <= $as_of::DATE
GROUP BY ALL
ORDER BY street_id NULLS LAST, on_day;
