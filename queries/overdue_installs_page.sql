-- name: overdue_installs_page — one page of overdue_installs (same rows, same order), searched, sorted and cut in SQL; total_rows is the whole list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $days_after_survey (INTEGER), $search (VARCHAR or NULL: part of the household id, street, community, address or name), $limit (INTEGER), $offset (INTEGER)
-- Keep the body equal to overdue_installs.sql (a test compares every page with it).
WITH m AS (
    SELECT * FROM install_due($programme_id, $as_of::DATE, $days_after_survey)
    WHERE ($street_ids IS NULL OR list_contains($street_ids, street_id)) AND days_late > 0
), s AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE)
), listed AS (
    SELECT m.household_id, m.street_id, st.name AS street_name, m.community_id,
           c.name AS community_name, h.name, h.address, h.phone, h.gas_type,
           m.surveyed_on, m.install_due_on, m.due_basis, m.days_late,
           s.hazard_open, s.gas_cut, s.refused
    FROM m
    JOIN s USING (household_id)
    JOIN household h ON h.programme_id = $programme_id AND h.household_id = m.household_id
    LEFT JOIN region st ON st.region_id = m.street_id
    LEFT JOIN region c ON c.region_id = m.community_id
    WHERE $search IS NULL
       OR contains(m.household_id, $search) OR contains(coalesce(st.name, ''), $search)
       OR contains(coalesce(c.name, ''), $search) OR contains(coalesce(h.address, ''), $search)
       OR contains(coalesce(h.name, ''), $search)
)
SELECT *, count(*) OVER () AS total_rows
FROM listed
ORDER BY days_late DESC, household_id
LIMIT $limit OFFSET $offset;
