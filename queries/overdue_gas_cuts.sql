-- name: overdue_gas_cuts — gas cut-offs in force longer than $cut_days, and restorations not done within $restore_hours of rectification.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $cut_days (INTEGER), $restore_hours (INTEGER)
-- Seed 001 (十一): gas is restored within 24 h after the hazard is removed. Dates carry no time
-- of day, so a restoration on the day after rectification counts as 24 h. A late restoration
-- stays on the list after it happened: the leadership follows up who broke the rule.
-- The rows: the overdue_gas_cut_list macro (queries/derived/lists.sql), shared with the paged twin.
SELECT * FROM overdue_gas_cut_list($programme_id, $as_of, $street_ids, $cut_days, $restore_hours)
ORDER BY restore_late DESC, days_cut DESC, hazard_id;
