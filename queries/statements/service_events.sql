-- Service events (data/events/service.py): the programme's standards and events entered on
-- the page.

-- name: settings — the programme's settings (its service standards among them).
SELECT settings FROM programme WHERE programme_id = $programme_id;

-- name: insert — one service event entered on the page.
INSERT INTO service_event (programme_id, event_id, kind, reported_at, occurred_at, responded_at,
    resolved_at, household_id, street_id, community_id, address, source, handler, outcome,
    description, recorded_at)
VALUES ($programme_id, $event_id, $kind, $reported_at, $occurred_at, $responded_at,
    $resolved_at, $household_id, $street_id, $community_id, $address, $source, $handler, $outcome,
    $description, $recorded_at);
