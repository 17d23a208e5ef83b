-- City scale (issue 17): device_state_at (migration 020) reads only what its caller uses.
--
-- Same columns, same values, same definition; only the plan changes. In migration 020 the
-- stored rows (`s`) and the settings (`cfg`) were CTEs used more than once, which DuckDB
-- materialises (a stored macro does not keep a NOT MATERIALIZED hint, so here no CTE is used
-- twice): every call copied all 472k stored rows with every column (alarm lists too) and
-- then computed every output column, whatever the caller asked for (0.1 s of CPU for a count at
-- a million households). Here no CTE is materialised, so a caller that needs the street and the
-- status reads those columns only, and the rows are split on the end of the day as a constant:
-- the stored rows whose last event is before it are taken as they stand (no join), the others
-- (a past date) are recomputed from their own events as before; on the latest date the second
-- branch is proven empty from the table's statistics and skips device_event.
-- device_health and device_rows read it by name, so they (and device_health_groups,
-- device_revisit, device_alerts) follow. tests/test_device_state.py compares it with
-- device_health_events (migration 011's definition) on dates before, between and after events.
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
    SELECT s.* EXCLUDE (alarm_list), s.alarm_list
    FROM device_state s
    WHERE s.programme_id = p_programme_id AND s.installed_on <= CAST(p_as_of AS DATE)
      AND (s.last_event_at IS NULL
           OR s.last_event_at < CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP))
    UNION ALL
    -- the late ones recomputed from their events before the end of the day
    SELECT s.* EXCLUDE (last_event_at, last_event_type, last_low_battery_at, last_fault_at,
                        alarm_list),
           ev.last_event_at, ev.last_event_type, ev.last_low_battery_at, ev.last_fault_at,
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
       street_id, community_id
FROM x;
