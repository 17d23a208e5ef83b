-- name: fire_risk_points — each registered household's point, community and stored score as of a date: the input of Gi* (cached per programme, date, level, scope and score version).
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
SELECT s.household_id, h.lon, h.lat, s.street_id, s.community_id,
       c.name AS community_name, st.name AS street_name, s.risk_score
FROM fire_risk_score s
JOIN household h USING (programme_id, household_id)
LEFT JOIN region st ON st.region_id = s.street_id
LEFT JOIN region c ON c.region_id = s.community_id
WHERE s.programme_id = $programme_id
  AND s.valid_from <= $as_of::DATE AND $as_of::DATE < s.valid_until
  AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id))
ORDER BY s.household_id;
