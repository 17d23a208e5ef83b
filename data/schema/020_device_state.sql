-- City scale (issue 17): each device's platform history summed up, kept by the writers.
--
-- device_health (migration 011) grouped every platform event of a programme on every call and
-- unnested every installation's serials (0.6–0.9 s at a million households). A device's state at
-- the end of a day depends only on its events before then, so device_state keeps, per device
-- row of the `device` view: its household's street and community, its last event (time, type),
-- its last low battery and fault, and its alarms (time, handling time, note — few per device).
-- For a day after a device's last event that row gives the exact state on that day; a device
-- with an event after the end of the day asked for (a past date) is recomputed from its own
-- events (device_state_at below), so every date stays exact and the latest date reads no event.
--
-- Every writer of households, installations and platform events refreshes the rows of what it
-- touched in the same transaction (data.device_state.refresh, called by
-- data.household_state.refresh and the platform-event import); `anju check --db PATH`
-- recomputes the table from the events and reports any difference.

CREATE TABLE device_state (
    programme_id        VARCHAR NOT NULL,
    serial              VARCHAR NOT NULL,
    household_id        VARCHAR NOT NULL,
    street_id           VARCHAR,    -- the household's, NULL when it is unplaced or missing
    community_id        VARCHAR,
    device_type         VARCHAR NOT NULL,
    installer           VARCHAR,
    batch_id            VARCHAR,
    installed_on        DATE NOT NULL,
    warranty_until      DATE,
    last_event_at       TIMESTAMP,  -- NULL: the platform never reported the device
    last_event_type     VARCHAR,
    last_low_battery_at TIMESTAMP,
    last_fault_at       TIMESTAMP,
    alarm_list          STRUCT(event_at TIMESTAMP, handled_at TIMESTAMP, note VARCHAR)[]
);

-- The rows recomputed from installations, households and events: of one programme (NULL: all),
-- of some households and/or serials (NULL: all).
CREATE MACRO device_state_compute(p_programme_id, p_household_ids := NULL, p_serials := NULL)
AS TABLE
WITH dev AS (
    SELECT d.programme_id, d.serial, d.household_id, h.street_id, h.community_id, d.device_type,
           d.installer, d.batch_id, d.installed_on, d.warranty_until
    FROM device d
    LEFT JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
    WHERE (p_programme_id IS NULL OR d.programme_id = p_programme_id)
      AND (p_household_ids IS NULL OR d.household_id IN (SELECT unnest(p_household_ids)))
      AND (p_serials IS NULL OR d.serial IN (SELECT unnest(p_serials)))
), ev AS (
    SELECT e.programme_id, e.serial,
           max(e.event_at) AS last_event_at,
           -- a tie at the same second: the worse state wins, as in migration 011
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
       CASE WHEN len(ev.alarm_list) > 0 THEN ev.alarm_list END AS alarm_list
FROM dev
LEFT JOIN ev ON ev.programme_id = dev.programme_id AND ev.serial = dev.serial;

INSERT INTO device_state SELECT * FROM device_state_compute(NULL);

-- Migration 011's definition, from the events: what device_state_at must equal on every date
-- (tests compare the two).
CREATE MACRO device_health_events(p_programme_id, p_as_of) AS TABLE
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

-- Each device's state at the end of a day from device_state, with its street and community:
-- the same columns and values as device_health_events plus street_id / community_id. Stored
-- rows whose last event is before the end of the day are exact as they stand (alarms counted
-- from alarm_list); the others are recomputed from their own events before the end of the day.
CREATE MACRO device_state_at(p_programme_id, p_as_of) AS TABLE
WITH cfg AS (
    SELECT coalesce((SELECT max(TRY_CAST(json_extract_string(settings,
                                   '$.rules.device_offline_hours') AS DOUBLE))
                     FROM programme WHERE programme_id = p_programme_id), 72.0) AS hours,
           CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP) AS day_end
), s AS (
    SELECT s.*, coalesce(s.last_event_at >= cfg.day_end, false) AS late
    FROM device_state s, cfg
    WHERE s.programme_id = p_programme_id AND s.installed_on <= CAST(p_as_of AS DATE)
), ev AS (
    SELECT e.serial,
           max(e.event_at) AS last_event_at,
           arg_max(e.event_type, (e.event_at, CASE e.event_type
               WHEN 'removed' THEN 6 WHEN 'offline' THEN 5 WHEN 'alarm' THEN 4
               WHEN 'fault' THEN 3 WHEN 'low_battery' THEN 2 ELSE 1 END)) AS last_event_type,
           max(e.event_at) FILTER (WHERE e.event_type = 'low_battery') AS last_low_battery_at,
           max(e.event_at) FILTER (WHERE e.event_type = 'fault') AS last_fault_at
    FROM device_event e
    -- an inner join on the late serials and a constant end of day: with no late device (the
    -- latest date) the scan of device_event is skipped, otherwise limited to their serials
    JOIN (SELECT DISTINCT serial FROM s WHERE late) l ON l.serial = e.serial
    WHERE e.programme_id = p_programme_id
      AND e.event_at < CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP)
    GROUP BY e.serial
), cur AS (
    SELECT s.* EXCLUDE (last_event_at, last_event_type, last_low_battery_at, last_fault_at,
                        alarm_list),
           CASE WHEN s.late THEN ev.last_event_at ELSE s.last_event_at END AS last_event_at,
           CASE WHEN s.late THEN ev.last_event_type ELSE s.last_event_type END AS last_event_type,
           CASE WHEN s.late THEN ev.last_low_battery_at ELSE s.last_low_battery_at END
               AS last_low_battery_at,
           CASE WHEN s.late THEN ev.last_fault_at ELSE s.last_fault_at END AS last_fault_at,
           CASE WHEN s.alarm_list IS NOT NULL
                THEN list_filter(s.alarm_list, a -> a.event_at < cfg.day_end) END AS alarm_list,
           cfg.hours, cfg.day_end
    FROM s CROSS JOIN cfg
    LEFT JOIN ev ON ev.serial = s.serial
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
       street_id, community_id
FROM cur;

-- Readers keep their names: device_health (migration 011) and device_rows (migration 018) now
-- read the stored state; device_rows takes the street and community from it, so a street
-- filter reaches the stored rows before any household is joined.
CREATE OR REPLACE MACRO device_health(p_programme_id, p_as_of) AS TABLE
SELECT * EXCLUDE (street_id, community_id) FROM device_state_at(p_programme_id, p_as_of);

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
