-- name: spot_check_status — each household of a month's draw in force with its latest check result, and what a checker needs at the door (community, address, name, phone, devices, installed on).
-- params: $programme_id, $period (VARCHAR 'YYYY-MM'), $street_ids (VARCHAR[] or NULL = all streets)
-- For each street the latest draw of the month that covers it is in force (earlier ones are kept). A re-check is a later result row.
WITH d AS (
    -- per street, the latest draw of the month that sampled it: a street's own draw (where the
    -- streets check, seed 000) stands beside the others' and a redraw replaces only what it covers
    SELECT s.street_id, max(s.draw_id) AS draw_id
    FROM spot_check_sample s
    JOIN spot_check_draw dr USING (draw_id)
    WHERE dr.programme_id = $programme_id AND dr.month = $period
    GROUP BY s.street_id
), latest AS (
    SELECT household_id, result, checked_on, failed_items, inspector, note,
           count(*) OVER (PARTITION BY household_id) AS checks
    FROM spot_check_result
    WHERE programme_id = $programme_id
    QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY checked_on DESC) = 1
), devices AS (
    SELECT i.household_id, string_agg(coalesce(dt.name, i.device_type), '、' ORDER BY i.device_type)
               AS devices,
           min(i.installed_on) AS installed_on
    FROM installation i
    LEFT JOIN device_type dt ON dt.programme_id = i.programme_id AND dt.device_type = i.device_type
    -- only the sampled households' installations (a few hundred, not the programme's 10⁵⁺)
    WHERE i.programme_id = $programme_id
      AND i.household_id IN (
          SELECT s.household_id FROM spot_check_sample s
          JOIN d ON d.draw_id = s.draw_id AND d.street_id IS NOT DISTINCT FROM s.street_id)
    GROUP BY i.household_id
)
SELECT s.household_id, s.street_id, coalesce(st.name, '未归属街道') AS street_name,
       co.name AS community_name, h.address, h.name, h.phone, dv.devices, dv.installed_on,
       coalesce(s.installer, '') AS installer, l.result, l.checked_on, l.failed_items,
       l.inspector, l.note, coalesce(l.checks, 0) AS checks
FROM spot_check_sample s
JOIN d ON d.draw_id = s.draw_id AND d.street_id IS NOT DISTINCT FROM s.street_id
LEFT JOIN latest l USING (household_id)
LEFT JOIN household h ON h.programme_id = s.programme_id AND h.household_id = s.household_id
LEFT JOIN region co ON co.region_id = h.community_id
LEFT JOIN devices dv ON dv.household_id = s.household_id
LEFT JOIN region st ON st.region_id = s.street_id
WHERE $street_ids IS NULL OR list_contains($street_ids, s.street_id)
ORDER BY street_name, installer, s.household_id;
