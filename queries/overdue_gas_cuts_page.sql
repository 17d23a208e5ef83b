-- name: overdue_gas_cuts_page — one page of overdue_gas_cuts (same rows, same order), cut in SQL; total_rows is the whole list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $cut_days (INTEGER), $restore_hours (INTEGER), $limit (INTEGER), $offset (INTEGER)
-- The rows and order of overdue_gas_cuts.sql: the same macro, overdue_gas_cut_list (a test
-- compares every page with the whole list).
SELECT *, count(*) OVER () AS total_rows
FROM overdue_gas_cut_list($programme_id, $as_of, $street_ids, $cut_days, $restore_hours)
ORDER BY restore_late DESC, days_cut DESC, hazard_id
LIMIT $limit OFFSET $offset;
