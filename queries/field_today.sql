-- name: field_today — the households of sent / confirmed batches' crew-days in a range of days (today: [today, tomorrow)), in visit order (入户登记).
-- params: $programme_id, $date_from (DATE, first day), $date_to (DATE, exclusive), $street_ids (VARCHAR[] or NULL = all streets)
-- Removed items are left out; done_on shows what is already installed.
SELECT b.batch_id, i.crew, i.day, i.seq, i.reason, i.done_on, h.household_id, h.name,
       h.address, h.phone, h.lon, h.lat, st.name AS street_name
FROM batch_item i
JOIN batch b USING (batch_id)
JOIN household h ON h.programme_id = b.programme_id AND h.household_id = i.household_id
LEFT JOIN region st ON st.region_id = h.street_id
WHERE b.programme_id = $programme_id AND b.status IN ('sent', 'confirmed')
  AND i.day >= $date_from::DATE AND i.day < $date_to::DATE AND i.removed_at IS NULL
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY i.day, b.batch_id, i.crew, i.seq;
