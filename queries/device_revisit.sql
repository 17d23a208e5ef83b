-- name: device_revisit — the devices of device_health.sql that need a visit (offline, never reported, an open alarm, low battery or a fault in the last 30 days), same columns: what data.events.devices.revisit keeps, without pulling the devices that are fine.
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
  AND (d.status <> 'online' OR d.alarms_open > 0 OR d.low_battery_at IS NOT NULL
       OR d.fault_at IS NOT NULL)
ORDER BY d.serial;
