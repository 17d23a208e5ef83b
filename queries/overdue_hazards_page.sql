-- name: overdue_hazards_page — one page of overdue_hazards (same rows, same order), cut in SQL; total_rows is the whole list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $limit (INTEGER), $offset (INTEGER)
-- The rows and order of overdue_hazards.sql: the same macro, overdue_hazard_list (a test
-- compares every page with the whole list).
SELECT *, count(*) OVER () AS total_rows
FROM overdue_hazard_list($programme_id, $as_of, $street_ids)
ORDER BY days_overdue DESC, hazard_id
LIMIT $limit OFFSET $offset;
