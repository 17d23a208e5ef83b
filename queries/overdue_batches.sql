-- name: overdue_batches — installation batches sent to the gas company and not confirmed (nor withdrawn) as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
WITH ev AS (
    SELECT * FROM batch_event
    WHERE programme_id = $programme_id AND event_on <= CAST($as_of AS DATE)
      AND known_by(recorded_at, event_on, $as_of)
      AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
), b AS (
    SELECT batch_id,
           any_value(street_id)                                AS street_id,
           any_value(month)                                    AS month,
           max(households)                                     AS households,
           min(event_on) FILTER (WHERE event = 'sent')         AS sent_on,
           bool_or(event IN ('confirmed', 'withdrawn'))        AS closed
    FROM ev GROUP BY batch_id
)
SELECT b.batch_id, b.street_id, st.name AS street_name, b.month, b.households, b.sent_on,
       date_diff('day', b.sent_on, CAST($as_of AS DATE)) AS days_waiting
FROM b LEFT JOIN region st ON st.region_id = b.street_id
WHERE b.sent_on IS NOT NULL AND NOT b.closed
ORDER BY days_waiting DESC, b.batch_id;
