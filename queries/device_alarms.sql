-- name: device_alarms — alarm events reported by the platform from $date_from to the end of $as_of, with how fast each was handled.
-- params: $programme_id, $date_from (DATE), $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- minutes_to_handle is NULL while an alarm is not handled by the end of $as_of (still open).
SELECT e.serial, d.household_id, h.street_id, st.name AS street_name, h.community_id,
       c.name AS community_name, h.name, h.address, h.phone, h.lives_alone,
       e.event_at AS alarm_at,
       CASE WHEN e.handled_at < $as_of::DATE + INTERVAL 1 DAY THEN e.handled_at END AS handled_at,
       CASE WHEN e.handled_at < $as_of::DATE + INTERVAL 1 DAY
            THEN round(date_diff('second', e.event_at, e.handled_at) / 60.0, 1) END
           AS minutes_to_handle,
       e.note
FROM device_event e
JOIN device d ON d.programme_id = e.programme_id AND d.serial = e.serial
JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
WHERE e.programme_id = $programme_id AND e.event_type = 'alarm'
  AND e.event_at >= $date_from::DATE AND e.event_at < $as_of::DATE + INTERVAL 1 DAY
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY e.event_at DESC, e.serial;
