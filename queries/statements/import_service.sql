-- Device and service-event imports (data/importing/service.py): the devices stored and the
-- households a service event is placed near.

-- name: serials — every device of the programme with its household's street.
SELECT d.serial, d.household_id, d.device_type, h.street_id, s.name
FROM device d
LEFT JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
LEFT JOIN region s ON s.region_id = h.street_id
WHERE d.programme_id = $programme_id;

-- name: homes — the programme's households with their place, to place a service event.
SELECT household_id, street_id, community_id, lon, lat, address FROM household
WHERE programme_id = $programme_id;
