-- name: fire_risk_households — every registered household with the registry fields the fire-risk score reads, as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- open_hazards: found on or before $as_of and not rectified by then. last_visit: the latest
-- inspection on or before $as_of at which someone was met (not_home is not a visit).
-- age: in whole calendar years at $as_of (the registry keeps the birth year only).
WITH haz AS (
    SELECT household_id,
           count(*) FILTER (WHERE rectified_on IS NULL OR rectified_on > $as_of::DATE) AS open_hazards
    FROM hazard
    WHERE programme_id = $programme_id AND found_on <= $as_of::DATE
    GROUP BY household_id
), visit AS (
    SELECT household_id, max(visited_on) AS last_visit
    FROM inspection
    WHERE programme_id = $programme_id AND visited_on <= $as_of::DATE AND outcome <> 'not_home'
    GROUP BY household_id
)
SELECT h.household_id, h.street_id, st.name AS street_name, h.community_id,
       c.name AS community_name, h.name, h.sex, h.birth_year,
       year($as_of::DATE) - h.birth_year AS age, h.phone, h.address, h.lives_alone, h.gas_type,
       h.smoker, h.drinker, h.building_nature, h.floors, h.build_year,
       h.helper_name, h.helper_type, h.helper_phone,
       h.has_smoke_detector, h.has_one_key_alarm, h.has_rcd, h.has_gas_autoshutoff,
       coalesce(haz.open_hazards, 0) AS open_hazards, visit.last_visit, h.lon, h.lat
FROM household h
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
LEFT JOIN haz USING (household_id)
LEFT JOIN visit USING (household_id)
WHERE h.programme_id = $programme_id
  AND (h.registered_on IS NULL OR h.registered_on <= $as_of::DATE)
  AND (h.left_on IS NULL OR h.left_on > $as_of::DATE)
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY h.household_id;
