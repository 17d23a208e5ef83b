-- name: overdue_gas_cuts_page — one page of overdue_gas_cuts (same rows, same order), cut in SQL; total_rows is the whole list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $cut_days (INTEGER), $restore_hours (INTEGER), $limit (INTEGER), $offset (INTEGER)
-- The rows and order of overdue_gas_cuts.sql: the same macro, overdue_gas_cut_list (a test
-- compares every page with the whole list).
-- The row count is its own aggregate, not count(*) OVER (): DuckDB's window operator
-- without PARTITION/ORDER races under load behind an outer join (docs/upstream-duckdb-window-race.md).
WITH listed AS (
    SELECT * FROM overdue_gas_cut_list($programme_id, $as_of, $street_ids, $cut_days, $restore_hours)
), counted AS (
    SELECT count(*) AS total_rows FROM listed
)
SELECT listed.*, counted.total_rows
FROM listed, counted
ORDER BY restore_late DESC, days_cut DESC, hazard_id
LIMIT $limit OFFSET $offset;
