-- One device row for the 设备状态 and 火灾风险 lists: each installed device's state at the end of
-- a day (the device_health macro, migration 011) with its household, type name, street and
-- community. device_health.sql, device_alerts.sql and device_revisit.sql select from it with
-- their own filter and scope, so the three lists keep the same columns by construction.
CREATE MACRO device_rows(p_programme_id, p_as_of) AS TABLE
SELECT d.serial, d.household_id, h.street_id, st.name AS street_name, h.community_id,
       c.name AS community_name, h.name, h.address, h.phone, h.lives_alone, h.lon, h.lat,
       d.device_type, t.name AS device_name, d.installer, d.batch_id, d.installed_on,
       d.warranty_until, d.status, d.last_event_at, d.last_event_type, d.hours_silent,
       d.alarms, d.alarms_30d, d.alarms_open, d.last_alarm_at, d.low_battery_at, d.fault_at,
       d.offline_hours
FROM device_health(p_programme_id, CAST(p_as_of AS DATE)) d
JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
LEFT JOIN device_type t ON t.programme_id = d.programme_id AND t.device_type = d.device_type
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id;
