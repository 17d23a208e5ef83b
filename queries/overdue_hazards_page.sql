-- name: overdue_hazards_page — one page of overdue_hazards (same rows, same order), cut in SQL; total_rows is the whole list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $limit (INTEGER), $offset (INTEGER)
-- The rows and order of overdue_hazards.sql: the same macro, overdue_hazard_list (a test
-- compares every page with the whole list).
-- The row count is its own aggregate, not count(*) OVER (): DuckDB's window operator
-- without PARTITION/ORDER races under load behind an outer join (docs/upstream-duckdb-window-race.md).
WITH listed AS (
    SELECT * FROM overdue_hazard_list($programme_id, $as_of, $street_ids)
), counted AS (
    SELECT count(*) AS total_rows FROM listed
)
SELECT listed.*, counted.total_rows
FROM listed, counted
ORDER BY days_overdue DESC, hazard_id
LIMIT $limit OFFSET $offset;
