-- name: monthly_table — seed 004's monthly statistics table: one row per registered person, as at the end of a month.
-- params: $programme_id, $month (DATE, any day of the month), $street_ids (VARCHAR[] or NULL = all streets)
-- Hazards found / rectified: all found by the month's end / rectified by then (the registry is a
-- running ledger). visits: inspections within the month at which someone was met (宣传走访), plus
-- the publicity sessions entered (三(10)). other_facilities (其他设施): water buckets/vats held by the
-- month's end (三(8)) and fire/escape training within the month (三(9)), from care_count.
WITH bounds AS (
    SELECT date_trunc('month', $month::DATE)::DATE AS m0, last_day($month::DATE) AS m1
), haz AS (
    SELECT household_id, count(*) AS hazards_found,
           count(*) FILTER (WHERE rectified_on <= (SELECT m1 FROM bounds)) AS hazards_rectified
    FROM hazard
    WHERE programme_id = $programme_id AND found_on <= (SELECT m1 FROM bounds)
    GROUP BY household_id
), visits AS (
    SELECT household_id, count(*) AS visits
    FROM inspection, bounds
    WHERE programme_id = $programme_id AND outcome <> 'not_home'
      AND visited_on BETWEEN bounds.m0 AND bounds.m1
    GROUP BY household_id
), care AS (
    SELECT household_id,
           sum(quantity) FILTER (WHERE kind = 'equipment') AS containers,
           sum(quantity) FILTER (WHERE kind = 'training' AND done_on >= bounds.m0) AS trainings,
           sum(quantity) FILTER (WHERE kind = 'publicity' AND done_on >= bounds.m0) AS publicity
    FROM care_count, bounds
    WHERE programme_id = $programme_id AND withdrawn_at IS NULL AND done_on <= bounds.m1
    GROUP BY household_id
)
SELECT row_number() OVER (ORDER BY h.street_id NULLS LAST, h.community_id NULLS LAST,
                                   h.household_id) AS seq,
       h.household_id, st.name AS street_name, c.name AS community_name,
       h.name, h.sex, year((SELECT m1 FROM bounds)) - h.birth_year AS age, h.phone,
       h.smoker, h.drinker, h.address, h.building_nature, h.floors, h.build_year,
       coalesce(haz.hazards_found, 0) AS hazards_found,
       coalesce(haz.hazards_rectified, 0) AS hazards_rectified,
       h.helper_name, h.helper_type, h.helper_phone,
       h.has_smoke_detector, h.has_one_key_alarm, h.has_rcd, h.has_gas_autoshutoff,
       nullif(concat_ws('；',
           CASE WHEN care.containers > 0 THEN '储水桶/缸' || care.containers || '个' END,
           CASE WHEN care.trainings > 0 THEN '灭火逃生培训' || care.trainings || '次' END), '')
           AS other_facilities,
       coalesce(visits.visits, 0) + coalesce(care.publicity, 0) AS visits,
       coalesce(care.containers, 0) AS containers,
       coalesce(care.trainings, 0) AS trainings,
       coalesce(care.publicity, 0) AS publicity
FROM household h
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
LEFT JOIN haz USING (household_id)
LEFT JOIN visits USING (household_id)
LEFT JOIN care USING (household_id)
WHERE h.programme_id = $programme_id
  AND (h.registered_on IS NULL OR h.registered_on <= (SELECT m1 FROM bounds))
  AND (h.left_on IS NULL OR h.left_on > (SELECT m0 FROM bounds))  -- left during the month: still listed
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY seq;
