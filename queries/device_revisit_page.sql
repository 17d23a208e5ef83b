-- name: device_revisit_page — one page of the 设备状态 visit list: device_revisit's rows in the list's order (open alarm, isolated elderly, longest silent, serial), searched and cut in SQL; total_rows is the whole (searched) list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $search (VARCHAR or NULL: part of the serial, household id, street, community or installer), $limit (INTEGER), $offset (INTEGER)
-- The rows are device_rows' (migration 020) with device_revisit.sql's filter; a test compares
-- every page with data.events.devices.revisit over device_revisit. Names, addresses and phones
-- are joined after the cut, so only the page's households are read in full.
WITH d AS (
    SELECT * FROM device_state_at($programme_id, $as_of::DATE)
    WHERE ($street_ids IS NULL OR list_contains($street_ids, street_id))
      AND (status <> 'online' OR alarms_open > 0 OR low_battery_at IS NOT NULL
           OR fault_at IS NOT NULL)
), listed AS (
    SELECT d.*, h.lives_alone, st.name AS street_name,
           c.name AS community_name
    FROM d
    JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
    LEFT JOIN region st ON st.region_id = d.street_id
    LEFT JOIN region c ON c.region_id = d.community_id
    WHERE $search IS NULL
       OR contains(d.serial, $search) OR contains(d.household_id, $search)
       OR contains(coalesce(st.name, ''), $search) OR contains(coalesce(c.name, ''), $search)
       OR contains(coalesce(d.installer, ''), $search)
), page AS (
    SELECT *, count(*) OVER () AS total_rows
    FROM listed
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
