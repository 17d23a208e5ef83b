-- Monthly acceptance (data/money/acceptance.py): each street's month submitted, accepted, returned
-- or reopened, as events; an accepted month locks its installations.

-- name: state — the latest event of one street's month.
SELECT event FROM acceptance_event
WHERE programme_id = $programme_id AND street_id = $street_id AND month = $month
ORDER BY event_id DESC LIMIT 1;

-- name: verified — how many of the street's installations were verified in the month.
SELECT count(*) FROM installation i
JOIN household h ON h.programme_id = i.programme_id AND h.household_id = i.household_id
WHERE i.programme_id = $programme_id AND h.street_id = $street_id
  AND strftime(i.verified_on, '%Y-%m') = $month;

-- name: insert_event — one event of a street's month, with who, why and the count it saw.
INSERT INTO acceptance_event (programme_id, street_id, month, event, installations, reason,
    actor, event_at)
VALUES ($programme_id, $street_id, $month, $event, $installations, $reason, $actor, $event_at);

-- name: locked — (street, month) pairs whose latest event is accepted.
SELECT street_id, month FROM acceptance_event WHERE programme_id = $programme_id
QUALIFY row_number() OVER (PARTITION BY street_id, month ORDER BY event_id DESC) = 1
    AND event = 'accepted';
