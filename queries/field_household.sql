-- name: field_household — one household of the user's scope with its registry fields and current status (入户登记).
-- params: $programme_id, $household_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- No row: the household does not exist or lies outside the scope (the caller refuses both alike).
SELECT h.*, st.name AS street_name, c.name AS community_name,
       s.surveyed, s.installed, s.verified, s.hazard_open, s.gas_cut, s.refused
FROM household h
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
LEFT JOIN household_status($programme_id, $as_of) s USING (household_id)
WHERE h.programme_id = $programme_id AND h.household_id = $household_id
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id));
