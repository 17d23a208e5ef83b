-- name: device_revisit_page — one page of the 设备状态 visit list: device_revisit's rows in the list's order (open alarm, isolated elderly, longest silent, serial), searched and cut in SQL; total_rows is the whole (searched) list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $search (VARCHAR or NULL: part of the serial, household id, street, community or installer), $limit (INTEGER), $offset (INTEGER)
-- The rows are device_rows' with device_revisit.sql's filter; a test compares
-- every page with data.events.devices.revisit over device_revisit. lives_alone is device_state's own;
-- names, addresses and phones are joined after the cut, so only the page's
-- households are read.
WITH d AS (
    SELECT * FROM device_state_at($programme_id, $as_of::DATE)
    WHERE ($street_ids IS NULL OR list_contains($street_ids, street_id))
      AND (status <> 'online' OR alarms_open > 0 OR low_battery_at IS NOT NULL
           OR fault_at IS NOT NULL)
), listed AS (
    SELECT d.*, st.name AS street_name, c.name AS community_name
    FROM d
    LEFT JOIN region st ON st.region_id = d.street_id
    LEFT JOIN region c ON c.region_id = d.community_id
    -- device_rows lists only devices of a registered household; one without a street is
    -- unplaced or not registered, and only those few are looked up
    WHERE (d.street_id IS NOT NULL
           OR d.household_id IN (SELECT household_id FROM household
                                 WHERE programme_id = $programme_id AND street_id IS NULL))
      AND ($search IS NULL
           OR contains(d.serial, $search) OR contains(d.household_id, $search)
           OR contains(coalesce(st.name, ''), $search) OR contains(coalesce(c.name, ''), $search)
           OR contains(coalesce(d.installer, ''), $search))
), counted AS (
    SELECT count(*) AS total_rows FROM listed
), page AS (
    -- The row count is its own aggregate, not count(*) OVER (): DuckDB's window operator
    -- without PARTITION/ORDER races under load behind an outer join (docs/upstream-duckdb-window-race.md).
    SELECT listed.*, counted.total_rows
    FROM listed, counted
    ORDER BY alarms_open DESC, lives_alone DESC NULLS LAST, hours_silent DESC, serial
    LIMIT $limit OFFSET $offset
)
SELECT p.serial, p.household_id, p.street_id, p.street_name, p.community_id, p.community_name,
       h.name, h.address, h.phone, p.lives_alone, h.lon, h.lat, p.device_type,
       t.name AS device_name, p.installer, p.batch_id, p.installed_on, p.warranty_until,
       p.status, p.last_event_at, p.last_event_type, p.hours_silent, p.alarms, p.alarms_30d,
       p.alarms_open, p.last_alarm_at, p.low_battery_at, p.fault_at, p.offline_hours,
       p.total_rows
FROM page p
JOIN household h ON h.household_id = p.household_id AND h.programme_id = $programme_id
LEFT JOIN device_type t ON t.programme_id = p.programme_id AND t.device_type = p.device_type
ORDER BY p.alarms_open DESC, p.lives_alone DESC NULLS LAST, p.hours_silent DESC, p.serial;
