-- name: overdue_installs — surveyed households not installed past their own due date (the planned day of their sent batch, else the install phase's end), latest first, with what blocks them.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $days_after_survey (INTEGER: the due date only when the programme has no install phase)
-- The due date is the install_due macro; overdue_installs_summary counts the rest.
-- The rows: the overdue_install_list macro (queries/derived/lists.sql), shared with the paged twin.
SELECT * FROM overdue_install_list($programme_id, $as_of, $street_ids, $days_after_survey)
ORDER BY days_late DESC, household_id;
