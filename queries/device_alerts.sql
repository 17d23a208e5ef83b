-- name: device_alerts — the devices of device_health.sql that can raise a household on the fire-risk visit list (an alarm in the last 30 days, or silent at least device_offline_hours), same columns: data.events.devices.household_alerts keeps those of isolated elderly, without pulling every device.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
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
WHERE ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
  AND (d.alarms_30d > 0 OR (d.status <> 'online' AND d.hours_silent >= d.offline_hours))
ORDER BY d.serial;
