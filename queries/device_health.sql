-- name: device_health — every installed device with its state at the end of a day (Beijing time) and its household.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- status (online / offline / never_reported) comes from the device_health macro (migration
-- 011): offline when the last event is 离线/拆除 or older than [rules] device_offline_hours.
-- The row itself is the device_rows macro, shared with device_alerts / device_revisit.
SELECT * FROM device_rows($programme_id, $as_of::DATE)
WHERE $street_ids IS NULL OR list_contains($street_ids, street_id)
ORDER BY serial;
