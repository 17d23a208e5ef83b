-- name: device_health — every installed device with its state at the end of a day (Beijing time) and its household.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- status (online / offline / never_reported) comes from the device_health macro (migration
-- 011): offline when the last event is 离线/拆除 or older than [rules] device_offline_hours.
SELECT d.serial, d.household_id, h.street_id, st.name AS street_name, h.community_id,
       c.name AS community_name, h.name, h.address, h.phone, h.lives_alone, h.lon, h.lat,
       d.device_type, t.name AS device_name, d.installer, d.batch_id, d.installed_on,
       d.warranty_until, d.status, d.last_event_at, d.last_event_type, d.hours_silent,
       d.alarms, d.alarms_30d, d.alarms_open, d.last_alarm_at, d.low_battery_at, d.fault_at,
       d.offline_hours
FROM device_health($programme_id, $as_of::DATE) d
JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
LEFT JOIN device_type t ON t.programme_id = d.programme_id AND t.device_type = d.device_type
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
WHERE $street_ids IS NULL OR list_contains($street_ids, h.street_id)
ORDER BY d.serial;
