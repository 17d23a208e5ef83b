-- name: overdue_hazards — hazards still open past their rectification date (due_on) as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- The rows: the overdue_hazard_list macro (queries/derived/lists.sql), shared with the paged twin.
SELECT * FROM overdue_hazard_list($programme_id, $as_of, $street_ids)
ORDER BY days_overdue DESC, hazard_id;
