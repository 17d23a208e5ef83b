-- name: device_health_groups — devices per street, installer, batch or community at the end of a day (Beijing time): online, offline, never reported and alarms, counted in SQL so the 设备状态 page does not pull every device.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $group (VARCHAR: street / installer / batch / community)
-- Same stored device state (device_state_at) as device_health.sql, whose street
-- and community are the household's; data.events.devices.by_group over that list is the
-- recomputation a test compares with.
WITH d AS (
    SELECT status, alarms, offline_hours, installer, batch_id, street_id, community_id
    FROM device_state_at($programme_id, $as_of::DATE)
    WHERE $street_ids IS NULL OR list_contains($street_ids, street_id)
), g AS (
    SELECT CASE $group WHEN 'street' THEN street_id WHEN 'installer' THEN installer
                       WHEN 'batch' THEN batch_id ELSE community_id END AS group_id,
           count(*) AS devices,
           count(*) FILTER (WHERE status = 'online') AS online,
           count(*) FILTER (WHERE status = 'offline') AS offline,
           count(*) FILTER (WHERE status = 'never_reported') AS never_reported,
           CAST(sum(alarms) AS BIGINT) AS alarms,
           max(offline_hours) AS offline_hours
    FROM d
    GROUP BY 1
)
SELECT g.*, r.name AS group_name, st.name AS street_name
FROM g
LEFT JOIN region r ON $group IN ('street', 'community') AND r.region_id = g.group_id
LEFT JOIN region st ON $group = 'community' AND st.region_id = r.parent_id
ORDER BY g.group_id NULLS LAST;
