-- name: service_events — service events (seed 003) known at the end of $as_of: those reported since $date_from, and every one still open then.
-- params: $programme_id, $date_from (DATE), $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- Times after the end of $as_of are not known yet on that date: they come back as NULL, so a
-- past date shows the events open as they were then.
WITH day AS (SELECT CAST($as_of::DATE + INTERVAL 1 DAY AS TIMESTAMP) AS day_end)
SELECT e.event_id, e.kind, e.reported_at, e.occurred_at,
       CASE WHEN e.responded_at < day.day_end THEN e.responded_at END AS responded_at,
       CASE WHEN e.resolved_at < day.day_end THEN e.resolved_at END AS resolved_at,
       e.household_id, e.street_id, st.name AS street_name, e.community_id,
       c.name AS community_name, e.address, e.lon, e.lat, e.source, e.handler, e.outcome,
       e.description
FROM service_event e
CROSS JOIN day
LEFT JOIN region st ON st.region_id = e.street_id
LEFT JOIN region c ON c.region_id = e.community_id
WHERE e.programme_id = $programme_id AND e.reported_at < day.day_end
  AND (e.reported_at >= $date_from::DATE OR e.resolved_at IS NULL OR e.resolved_at >= day.day_end)
  AND ($street_ids IS NULL OR list_contains($street_ids, e.street_id))
ORDER BY e.reported_at, e.event_id;
