-- name: expiring_warranties — installed devices whose warranty ends within $warning_days days after a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $warning_days (INTEGER)
SELECT i.household_id, h.street_id, st.name AS street_name, h.community_id,
       c.name AS community_name, h.name, h.address, h.phone,
       i.device_type, d.name AS device_name, i.installed_on, i.warranty_until,
       date_diff('day', CAST($as_of AS DATE), i.warranty_until) AS days_left
FROM installation i
JOIN household h ON h.programme_id = i.programme_id AND h.household_id = i.household_id
LEFT JOIN device_type d ON d.programme_id = i.programme_id AND d.device_type = i.device_type
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
WHERE i.programme_id = $programme_id
  AND i.installed_on <= CAST($as_of AS DATE) AND known_by(i.recorded_at, i.installed_on, $as_of)
  AND i.warranty_until >= CAST($as_of AS DATE)
  AND i.warranty_until <= CAST($as_of AS DATE) + CAST($warning_days AS INTEGER)
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY i.warranty_until, i.household_id;
