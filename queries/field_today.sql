-- name: field_today — the households of sent / confirmed batches' crew-days on a day, in visit order (入户登记 today's list).
-- params: $programme_id, $day (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- Removed items are left out; done_on shows what is already installed.
SELECT b.batch_id, i.crew, i.day, i.seq, i.reason, i.done_on, h.household_id, h.name,
       h.address, h.phone, h.lon, h.lat, st.name AS street_name
FROM batch_item i
JOIN batch b USING (batch_id)
JOIN household h ON h.programme_id = b.programme_id AND h.household_id = i.household_id
LEFT JOIN region st ON st.region_id = h.street_id
WHERE b.programme_id = $programme_id AND b.status IN ('sent', 'confirmed')
  AND i.day = $day::DATE AND i.removed_at IS NULL
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY b.batch_id, i.crew, i.seq;
