-- name: overdue_installs — households surveyed more than $days_after_survey days ago and still not installed, with what blocks them.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $days_after_survey (INTEGER)
WITH m AS (
    SELECT * FROM household_milestones($programme_id, $as_of::DATE)
    WHERE $street_ids IS NULL OR list_contains($street_ids, street_id)
), s AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE)
)
SELECT m.household_id, m.street_id, st.name AS street_name, m.community_id,
       c.name AS community_name, h.name, h.address, h.phone, h.gas_type,
       m.surveyed_on, date_diff('day', m.surveyed_on, CAST($as_of AS DATE)) AS days_waiting,
       s.hazard_open, s.gas_cut, s.refused
FROM m
JOIN s USING (household_id)
JOIN household h ON h.programme_id = $programme_id AND h.household_id = m.household_id
LEFT JOIN region st ON st.region_id = m.street_id
LEFT JOIN region c ON c.region_id = m.community_id
WHERE m.installed_on IS NULL
  AND date_diff('day', m.surveyed_on, CAST($as_of AS DATE)) > $days_after_survey
ORDER BY days_waiting DESC, m.household_id;
