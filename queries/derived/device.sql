-- Installed devices and their state at the end of a day.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- One row per installed device (serial) from installation.device_serials.
CREATE OR REPLACE VIEW device AS
SELECT programme_id, serial, household_id, device_type, installer, batch_id, installed_on,
       warranty_until, recorded_at
FROM (
    SELECT i.*, unnest(string_split(i.device_serials, ',')) AS serial
    FROM installation i
    WHERE i.device_serials IS NOT NULL AND i.device_serials <> ''
);

-- The stored device summaries recomputed from installations, households and platform
-- events: what device_state must hold.
CREATE OR REPLACE MACRO device_state_compute(p_programme_id, p_household_ids := NULL, p_serials := NULL)
AS TABLE
WITH dev AS (
    SELECT d.programme_id, d.serial, d.household_id, h.street_id, h.community_id, d.device_type,
           d.installer, d.batch_id, d.installed_on, d.warranty_until, h.lives_alone
    FROM device d
    LEFT JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
    WHERE (p_programme_id IS NULL OR d.programme_id = p_programme_id)
      AND (p_household_ids IS NULL OR d.household_id IN (SELECT unnest(p_household_ids)))
      AND (p_serials IS NULL OR d.serial IN (SELECT unnest(p_serials)))
), ev AS (
    SELECT e.programme_id, e.serial,
           max(e.event_at) AS last_event_at,
           -- a tie at the same second: the worse state wins, as in device_health_events
           arg_max(e.event_type, (e.event_at, CASE e.event_type
               WHEN 'removed' THEN 6 WHEN 'offline' THEN 5 WHEN 'alarm' THEN 4
               WHEN 'fault' THEN 3 WHEN 'low_battery' THEN 2 ELSE 1 END)) AS last_event_type,
           max(e.event_at) FILTER (WHERE e.event_type = 'low_battery') AS last_low_battery_at,
           max(e.event_at) FILTER (WHERE e.event_type = 'fault') AS last_fault_at,
           list({'event_at': e.event_at, 'handled_at': e.handled_at, 'note': e.note}
                ORDER BY e.event_at) FILTER (WHERE e.event_type = 'alarm') AS alarm_list
    FROM device_event e
    SEMI JOIN dev ON dev.programme_id = e.programme_id AND dev.serial = e.serial
    WHERE p_programme_id IS NULL OR e.programme_id = p_programme_id
    GROUP BY e.programme_id, e.serial
)
SELECT dev.programme_id, dev.serial, dev.household_id, dev.street_id, dev.community_id,
       dev.device_type, dev.installer, dev.batch_id, dev.installed_on, dev.warranty_until,
       ev.last_event_at, ev.last_event_type, ev.last_low_battery_at, ev.last_fault_at,
       CASE WHEN len(ev.alarm_list) > 0 THEN ev.alarm_list END AS alarm_list, dev.lives_alone
FROM dev
LEFT JOIN ev ON ev.programme_id = dev.programme_id AND ev.serial = dev.serial;

-- Each device's state at the end of a day (Beijing time) from the events: what device_state_at
-- must equal. Offline: the last event is offline or removed, or older than the programme's
-- rules.device_offline_hours (72 when unset); hours_silent counts from it (else installation).
CREATE OR REPLACE MACRO device_health_events(p_programme_id, p_as_of) AS TABLE
WITH cfg AS (
    SELECT coalesce((SELECT max(TRY_CAST(json_extract_string(settings,
                                   '$.rules.device_offline_hours') AS DOUBLE))
                     FROM programme WHERE programme_id = p_programme_id), 72.0) AS hours,
           CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP) AS day_end
), dev AS (
    SELECT d.*
    FROM device d
    WHERE d.programme_id = p_programme_id AND d.installed_on <= CAST(p_as_of AS DATE)
), ev AS (
    SELECT e.serial,
           max(e.event_at) AS last_event_at,
           arg_max(e.event_type, (e.event_at, CASE e.event_type
               WHEN 'removed' THEN 6 WHEN 'offline' THEN 5 WHEN 'alarm' THEN 4
               WHEN 'fault' THEN 3 WHEN 'low_battery' THEN 2 ELSE 1 END)) AS last_event_type,
           count(*) FILTER (WHERE e.event_type = 'alarm') AS alarms,
           count(*) FILTER (WHERE e.event_type = 'alarm' AND e.event_at >= cfg.day_end - INTERVAL 30 DAY) AS alarms_30d,
           count(*) FILTER (WHERE e.event_type = 'alarm'
                            AND (e.handled_at IS NULL OR e.handled_at >= cfg.day_end)) AS alarms_open,
           max(e.event_at) FILTER (WHERE e.event_type = 'alarm') AS last_alarm_at,
           max(e.event_at) FILTER (WHERE e.event_type = 'low_battery' AND e.event_at >= cfg.day_end - INTERVAL 30 DAY) AS low_battery_at,
           max(e.event_at) FILTER (WHERE e.event_type = 'fault' AND e.event_at >= cfg.day_end - INTERVAL 30 DAY) AS fault_at
    FROM device_event e, cfg
    WHERE e.programme_id = p_programme_id AND e.event_at < cfg.day_end
    GROUP BY e.serial
)
SELECT dev.programme_id, dev.serial, dev.household_id, dev.device_type, dev.installer,
       dev.batch_id, dev.installed_on, dev.warranty_until,
       ev.last_event_at, ev.last_event_type,
       round(date_diff('second', coalesce(ev.last_event_at, CAST(dev.installed_on AS TIMESTAMP)),
                       cfg.day_end) / 3600.0, 1) AS hours_silent,
       CASE
           WHEN ev.last_event_at IS NULL THEN 'never_reported'
           WHEN ev.last_event_type IN ('offline', 'removed') THEN 'offline'
           WHEN ev.last_event_at < cfg.day_end - to_microseconds(CAST(cfg.hours * 3600000000 AS BIGINT))
               THEN 'offline'
           ELSE 'online'
       END AS status,
       coalesce(ev.alarms, 0) AS alarms,
       coalesce(ev.alarms_30d, 0) AS alarms_30d,
       coalesce(ev.alarms_open, 0) AS alarms_open,
       ev.last_alarm_at, ev.low_battery_at, ev.fault_at,
       cfg.hours AS offline_hours
FROM dev CROSS JOIN cfg
LEFT JOIN ev ON ev.serial = dev.serial;

-- Each device's state at the end of a day from device_state, with street, community and
-- lives_alone. No CTE is used twice (DuckDB would materialise it, every column of every stored
-- row): the rows with no event after the day are taken as stored, the others recomputed from
-- their own events; on the latest date that branch is empty and device_event is not read.
CREATE OR REPLACE MACRO device_state_at(p_programme_id, p_as_of) AS TABLE
WITH cfg AS (
    SELECT coalesce((SELECT max(TRY_CAST(json_extract_string(settings,
                                   '$.rules.device_offline_hours') AS DOUBLE))
                     FROM programme WHERE programme_id = p_programme_id), 72.0) AS hours,
           CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP) AS day_end
), ev AS (
    SELECT e.serial,
           max(e.event_at) AS last_event_at,
           arg_max(e.event_type, (e.event_at, CASE e.event_type
               WHEN 'removed' THEN 6 WHEN 'offline' THEN 5 WHEN 'alarm' THEN 4
               WHEN 'fault' THEN 3 WHEN 'low_battery' THEN 2 ELSE 1 END)) AS last_event_type,
           max(e.event_at) FILTER (WHERE e.event_type = 'low_battery') AS last_low_battery_at,
           max(e.event_at) FILTER (WHERE e.event_type = 'fault') AS last_fault_at
    FROM device_event e
    JOIN (SELECT DISTINCT serial
          FROM device_state
          WHERE programme_id = p_programme_id AND installed_on <= CAST(p_as_of AS DATE)
            AND last_event_at >= CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP)) l
        ON l.serial = e.serial
    WHERE e.programme_id = p_programme_id
      AND e.event_at < CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP)
    GROUP BY e.serial
), cur AS (
    -- the stored rows exact on that day as they stand (never reported, or last event before)
    SELECT s.* EXCLUDE (lives_alone, alarm_list), s.lives_alone, s.alarm_list
    FROM device_state s
    WHERE s.programme_id = p_programme_id AND s.installed_on <= CAST(p_as_of AS DATE)
      AND (s.last_event_at IS NULL
           OR s.last_event_at < CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP))
    UNION ALL
    -- the late ones recomputed from their events before the end of the day
    SELECT s.* EXCLUDE (last_event_at, last_event_type, last_low_battery_at, last_fault_at,
                        lives_alone, alarm_list),
           ev.last_event_at, ev.last_event_type, ev.last_low_battery_at, ev.last_fault_at,
           s.lives_alone,
           CASE WHEN s.alarm_list IS NOT NULL
                THEN list_filter(s.alarm_list, a -> a.event_at
                                 < CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP))
           END AS alarm_list
    FROM device_state s
    LEFT JOIN ev ON ev.serial = s.serial
    WHERE s.programme_id = p_programme_id AND s.installed_on <= CAST(p_as_of AS DATE)
      AND s.last_event_at >= CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP)
), x AS (
    SELECT cur.*, cfg.hours, cfg.day_end FROM cur CROSS JOIN cfg
)
SELECT programme_id, serial, household_id, device_type, installer, batch_id, installed_on,
       warranty_until, last_event_at, last_event_type,
       round(date_diff('second', coalesce(last_event_at, CAST(installed_on AS TIMESTAMP)),
                       day_end) / 3600.0, 1) AS hours_silent,
       CASE
           WHEN last_event_at IS NULL THEN 'never_reported'
           WHEN last_event_type IN ('offline', 'removed') THEN 'offline'
           WHEN last_event_at < day_end - to_microseconds(CAST(hours * 3600000000 AS BIGINT))
               THEN 'offline'
           ELSE 'online'
       END AS status,
       coalesce(len(alarm_list), 0) AS alarms,
       coalesce(len(list_filter(alarm_list, a -> a.event_at >= day_end - INTERVAL 30 DAY)), 0)
           AS alarms_30d,
       coalesce(len(list_filter(alarm_list,
                                a -> a.handled_at IS NULL OR a.handled_at >= day_end)), 0)
           AS alarms_open,
       list_max(list_transform(alarm_list, a -> a.event_at)) AS last_alarm_at,
       CASE WHEN last_low_battery_at >= day_end - INTERVAL 30 DAY THEN last_low_battery_at END
           AS low_battery_at,
       CASE WHEN last_fault_at >= day_end - INTERVAL 30 DAY THEN last_fault_at END AS fault_at,
       hours AS offline_hours,
       street_id, community_id, lives_alone
FROM x;

-- Each device's state at the end of a day (device_health_events' columns).
CREATE OR REPLACE MACRO device_health(p_programme_id, p_as_of) AS TABLE
SELECT * EXCLUDE (street_id, community_id, lives_alone)
FROM device_state_at(p_programme_id, p_as_of);

-- One row per device for the 设备状态 and 火灾风险 lists: state, household, type, place.
CREATE OR REPLACE MACRO device_rows(p_programme_id, p_as_of) AS TABLE
SELECT d.serial, d.household_id, d.street_id, st.name AS street_name, d.community_id,
       c.name AS community_name, h.name, h.address, h.phone, h.lives_alone, h.lon, h.lat,
       d.device_type, t.name AS device_name, d.installer, d.batch_id, d.installed_on,
       d.warranty_until, d.status, d.last_event_at, d.last_event_type, d.hours_silent,
       d.alarms, d.alarms_30d, d.alarms_open, d.last_alarm_at, d.low_battery_at, d.fault_at,
       d.offline_hours
FROM device_state_at(p_programme_id, CAST(p_as_of AS DATE)) d
JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
LEFT JOIN device_type t ON t.programme_id = d.programme_id AND t.device_type = d.device_type
LEFT JOIN region st ON st.region_id = d.street_id
LEFT JOIN region c ON c.region_id = d.community_id;
