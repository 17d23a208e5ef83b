-- name: fire_risk_visits — one page of the visit list: stored scores as of a date, in visit order, with the registry fields the page shows.
-- params: $programme_id, $as_of, $street_ids, $street, $community, $search, $hot_ids, $hot_conf, $alarm_ids, $offline_ids, $limit, $offset
-- $as_of (DATE), $street_ids (VARCHAR[] or NULL), $street, $community
--   (VARCHAR or NULL = all), $search ('' = all: part of the household number),
--   $hot_ids / $hot_conf (households inside hotspots and the unit's confidence, from the
--   cached Gi*), $alarm_ids / $offline_ids (households with a recent gas alarm / a long-offline
--   alarm), $limit, $offset.
-- Order (data.fire_risk.visit_list): a recent gas alarm first; then hotspot confidence; then a
-- long-offline alarm; then score, highest first; household number breaks ties.
WITH hot AS (
    SELECT unnest($hot_ids::VARCHAR[]) AS household_id, unnest($hot_conf::INTEGER[]) AS conf
), ranked AS (
    SELECT s.*, coalesce(hot.conf, 0) AS conf,
           list_contains($alarm_ids::VARCHAR[], s.household_id) AS alarm,
           list_contains($offline_ids::VARCHAR[], s.household_id) AS offline
    FROM fire_risk_score s
    LEFT JOIN hot USING (household_id)
    WHERE s.programme_id = $programme_id
      AND s.valid_from <= $as_of::DATE AND $as_of::DATE < s.valid_until
      AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id))
      AND ($street IS NULL OR s.street_id = $street)
      AND ($community IS NULL OR s.community_id = $community)
      AND (coalesce($search, '') = '' OR contains(s.household_id, $search))
), page AS (
    SELECT * FROM ranked
    ORDER BY alarm DESC, conf DESC, offline DESC, risk_score DESC, household_id
    LIMIT $limit OFFSET $offset
)
SELECT p.household_id, p.street_id, st.name AS street_name, p.community_id,
       c.name AS community_name, h.name, h.sex, h.birth_year,
       year($as_of::DATE) - h.birth_year AS age, h.phone, h.address, h.lives_alone, h.gas_type,
       h.smoker, h.drinker, h.building_nature, h.floors, h.build_year,
       h.helper_name, h.helper_type, h.helper_phone,
       h.has_smoke_detector, h.has_one_key_alarm, h.has_rcd, h.has_gas_autoshutoff,
       p.open_hazards, p.last_visit, h.lon, h.lat,
       p.u_age_band, p.u_lives_alone, p.u_smoker, p.u_drinker, p.u_combustible_building,
       p.u_old_building, p.u_high_floor, p.u_no_smoke_detector, p.u_no_one_key_alarm, p.u_no_rcd,
       p.u_no_gas_autoshutoff, p.u_lpg, p.u_open_hazard, p.u_no_helper, p.u_visit_overdue,
       p.risk_score, p.weights_version
FROM page p
JOIN household h USING (programme_id, household_id)
LEFT JOIN region st ON st.region_id = p.street_id
LEFT JOIN region c ON c.region_id = p.community_id
ORDER BY p.alarm DESC, p.conf DESC, p.offline DESC, p.risk_score DESC, p.household_id;
