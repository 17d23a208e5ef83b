-- name: overdue_installs — surveyed households not installed past their own due date (the planned day of their sent batch, else the install phase's end), latest first, with what blocks them.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $days_after_survey (INTEGER: the due date only when the programme has no install phase)
-- The due date is the install_due macro (migration 015); overdue_installs_summary counts the rest.
WITH m AS (
    SELECT * FROM install_due($programme_id, $as_of::DATE, $days_after_survey)
    WHERE ($street_ids IS NULL OR list_contains($street_ids, street_id)) AND days_late > 0
), s AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE)
)
SELECT m.household_id, m.street_id, st.name AS street_name, m.community_id,
       c.name AS community_name, h.name, h.address, h.phone, h.gas_type,
       m.surveyed_on, m.install_due_on, m.due_basis, m.days_late,
       s.hazard_open, s.gas_cut, s.refused
FROM m
JOIN s USING (household_id)
JOIN household h ON h.programme_id = $programme_id AND h.household_id = m.household_id
LEFT JOIN region st ON st.region_id = m.street_id
LEFT JOIN region c ON c.region_id = m.community_id
ORDER BY m.days_late DESC, m.household_id;
