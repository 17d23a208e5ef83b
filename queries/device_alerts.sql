-- name: device_alerts — the devices of device_health.sql that can raise a household on the fire-risk visit list (an alarm in the last 30 days, or silent at least device_offline_hours), same columns: data.events.devices.household_alerts keeps those of isolated elderly, without pulling every device.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
SELECT * FROM device_rows($programme_id, $as_of::DATE)
WHERE ($street_ids IS NULL OR list_contains($street_ids, street_id))
  AND (alarms_30d > 0 OR (status <> 'online' AND hours_silent >= offline_hours))
ORDER BY serial;
