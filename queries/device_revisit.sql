-- name: device_revisit — the devices of device_health.sql that need a visit (offline, never reported, an open alarm, low battery or a fault in the last 30 days), same columns: what data.events.devices.revisit keeps, without pulling the devices that are fine.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
SELECT * FROM device_rows($programme_id, $as_of::DATE)
WHERE ($street_ids IS NULL OR list_contains($street_ids, street_id))
  AND (status <> 'online' OR alarms_open > 0 OR low_battery_at IS NOT NULL
       OR fault_at IS NOT NULL)
ORDER BY serial;
