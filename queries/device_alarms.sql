-- name: device_alarms — alarm events reported by the platform from $date_from to the end of $as_of, with how fast each was handled.
-- params: $programme_id, $date_from (DATE), $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- minutes_to_handle is NULL while an alarm is not handled by the end of $as_of (still open).
-- The alarms are those each device's stored row keeps (device_state.alarm_list),
-- equal to its alarm events: no scan of every platform event.
WITH a AS (
    SELECT s.programme_id, s.serial, s.household_id, s.street_id, s.community_id,
           unnest(s.alarm_list) AS a
    FROM device_state s
    WHERE s.programme_id = $programme_id AND s.alarm_list IS NOT NULL
      AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id))
), e AS (
    SELECT programme_id, serial, household_id, street_id, community_id, a.event_at,
           a.handled_at, a.note
    FROM a
    WHERE a.event_at >= $date_from::DATE AND a.event_at < $as_of::DATE + INTERVAL 1 DAY
)
SELECT e.serial, e.household_id, e.street_id, st.name AS street_name, e.community_id,
       c.name AS community_name, h.name, h.address, h.phone, h.lives_alone,
       e.event_at AS alarm_at,
       CASE WHEN e.handled_at < $as_of::DATE + INTERVAL 1 DAY THEN e.handled_at END AS handled_at,
       CASE WHEN e.handled_at < $as_of::DATE + INTERVAL 1 DAY
            THEN round(date_diff('second', e.event_at, e.handled_at) / 60.0, 1) END
           AS minutes_to_handle,
       e.note
FROM e
JOIN household h ON h.programme_id = e.programme_id AND h.household_id = e.household_id
LEFT JOIN region st ON st.region_id = e.street_id
LEFT JOIN region c ON c.region_id = e.community_id
ORDER BY e.event_at DESC, e.serial;
