-- name: fire_risk_households — every registered household with its stored fire-risk units and score and the registry fields the page shows, as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- The units and score are the span of fire_risk_score that holds on $as_of (open_hazards,
-- last_visit as of then; age in whole calendar years at $as_of).
SELECT s.household_id, s.street_id, st.name AS street_name, s.community_id,
       c.name AS community_name, h.name, h.sex, h.birth_year,
       year($as_of::DATE) - h.birth_year AS age, h.phone, h.address, h.lives_alone, h.gas_type,
       h.smoker, h.drinker, h.building_nature, h.floors, h.build_year,
       h.helper_name, h.helper_type, h.helper_phone,
       h.has_smoke_detector, h.has_one_key_alarm, h.has_rcd, h.has_gas_autoshutoff,
       s.open_hazards, s.last_visit, h.lon, h.lat,
       s.u_age_band, s.u_lives_alone, s.u_smoker, s.u_drinker, s.u_combustible_building,
       s.u_old_building, s.u_high_floor, s.u_no_smoke_detector, s.u_no_one_key_alarm, s.u_no_rcd,
       s.u_no_gas_autoshutoff, s.u_lpg, s.u_open_hazard, s.u_no_helper, s.u_visit_overdue,
       s.risk_score, s.weights_version
FROM fire_risk_score s
JOIN household h USING (programme_id, household_id)
LEFT JOIN region st ON st.region_id = s.street_id
LEFT JOIN region c ON c.region_id = s.community_id
WHERE s.programme_id = $programme_id
  AND s.valid_from <= $as_of::DATE AND $as_of::DATE < s.valid_until
  AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id))
ORDER BY s.household_id;
