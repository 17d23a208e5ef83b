-- name: fire_risk_visits — one page of the visit list: stored scores as of a date, in visit order, with the registry fields the page shows, the hotspot unit and the device alert.
-- params: $programme_id, $as_of, $street_ids, $street, $community, $search, $resolution, $hot_cells, $hot_communities, $hot_conf, $limit, $offset
-- $as_of (DATE), $street_ids (VARCHAR[] or NULL), $street, $community
--   (VARCHAR or NULL = all), $search ('' = all: part of the household number),
--   $resolution (the H3 resolution of the cached Gi*, 4–11), $hot_cells (BIGINT[]: significant
--   H3 cells, level 'h3') or $hot_communities (VARCHAR[]: significant communities, level
--   'community'; the other list empty) and $hot_conf (each unit's confidence, same order:
--   positive for a hot spot, negative for a cold one), $limit, $offset.
-- Order (data.firerisk.fire_risk.visit_list): a recent gas alarm first; then hotspot confidence; then a
-- long-offline alarm; then score, highest first; at equal scores a cold spot's household after
-- the others (a cold spot is never a priority); household number breaks ties.
-- Device alerts are those of device_alerts.sql that data.events.devices.household_alerts keeps:
-- devices of isolated elderly homes (lives_alone) with an alarm in the last 30 days, or silent at
-- least device_offline_hours (device_state_at); device_alert spells them as
-- household_alerts does.
WITH hot AS (
    SELECT unnest($hot_cells::BIGINT[]) AS cell, unnest($hot_conf::INTEGER[]) AS conf
    WHERE len($hot_cells::BIGINT[]) > 0
), hot_community AS (
    SELECT unnest($hot_communities::VARCHAR[]) AS community_id,
           unnest($hot_conf::INTEGER[]) AS conf
    WHERE len($hot_communities::VARCHAR[]) > 0
), alert AS (
    -- device_rows without its joins: whether the home is an isolated elderly one is the span's
    -- u_lives_alone (coalesce(lives_alone, false), the registry's as the write path keeps it)
    SELECT d.household_id, bool_or(d.alarms_30d > 0) AS alarm,
           bool_or(d.status <> 'online' AND d.hours_silent >= d.offline_hours) AS offline
    FROM device_state_at($programme_id, $as_of::DATE) d
    WHERE ($street_ids IS NULL OR list_contains($street_ids, d.street_id))
      AND (d.alarms_30d > 0 OR (d.status <> 'online' AND d.hours_silent >= d.offline_hours))
    GROUP BY d.household_id
), ranked AS (
    SELECT s.programme_id, s.household_id, s.street_id, s.community_id, s.open_hazards,
           s.last_visit, s.u_age_band, s.u_lives_alone, s.u_smoker, s.u_drinker,
           s.u_combustible_building, s.u_old_building, s.u_high_floor, s.u_no_smoke_detector,
           s.u_no_one_key_alarm, s.u_no_rcd, s.u_no_gas_autoshutoff, s.u_lpg, s.u_open_hazard,
           s.u_no_helper, s.u_visit_overdue, s.risk_score, s.weights_version,
           CASE $resolution::INTEGER
               WHEN 4 THEN s.h3_r4 WHEN 5 THEN s.h3_r5 WHEN 6 THEN s.h3_r6
               WHEN 7 THEN s.h3_r7 WHEN 8 THEN s.h3_r8 WHEN 9 THEN s.h3_r9
               WHEN 10 THEN s.h3_r10 WHEN 11 THEN s.h3_r11 END AS cell,
           greatest(coalesce(hh.conf, hc.conf, 0), 0) AS conf,
           coalesce(hh.conf, hc.conf, 0) < 0 AS cold,
           coalesce(a.alarm AND s.u_lives_alone > 0, false) AS alarm,
           coalesce(a.offline AND s.u_lives_alone > 0, false) AS offline
    FROM fire_risk_score s
    LEFT JOIN hot hh ON hh.cell = CASE $resolution::INTEGER
               WHEN 4 THEN s.h3_r4 WHEN 5 THEN s.h3_r5 WHEN 6 THEN s.h3_r6
               WHEN 7 THEN s.h3_r7 WHEN 8 THEN s.h3_r8 WHEN 9 THEN s.h3_r9
               WHEN 10 THEN s.h3_r10 WHEN 11 THEN s.h3_r11 END
    LEFT JOIN hot_community hc USING (community_id)
    LEFT JOIN alert a USING (household_id)
    WHERE s.programme_id = $programme_id
      AND s.valid_from <= $as_of::DATE AND $as_of::DATE < s.valid_until
      AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id))
      AND ($street IS NULL OR s.street_id = $street)
      AND ($community IS NULL OR s.community_id = $community)
      AND (coalesce($search, '') = '' OR contains(s.household_id, $search))
), page AS (
    SELECT * FROM ranked
    ORDER BY alarm DESC, conf DESC, offline DESC, risk_score DESC, cold, household_id
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
       p.risk_score, p.weights_version, p.cell,
       CASE WHEN p.alarm AND p.offline THEN '报警器长时间离线、近30天燃气报警'
            WHEN p.alarm THEN '近30天燃气报警'
            WHEN p.offline THEN '报警器长时间离线'
            ELSE '' END AS device_alert
FROM page p
JOIN household h USING (programme_id, household_id)
LEFT JOIN region st ON st.region_id = p.street_id
LEFT JOIN region c ON c.region_id = p.community_id
ORDER BY p.alarm DESC, p.conf DESC, p.offline DESC, p.risk_score DESC, p.cold, p.household_id;
