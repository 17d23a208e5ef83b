-- name: spot_check_status — each household of a month's draw in force with its latest check result.
-- params: $programme_id, $period (VARCHAR 'YYYY-MM'), $street_ids (VARCHAR[] or NULL = all streets)
-- The latest draw of the month is in force (earlier ones are kept). A re-check is a later result row.
WITH d AS (
    SELECT max(draw_id) AS draw_id FROM spot_check_draw
    WHERE programme_id = $programme_id AND month = $period
), latest AS (
    SELECT household_id, result, checked_on, failed_items, inspector, note,
           count(*) OVER (PARTITION BY household_id) AS checks
    FROM spot_check_result
    WHERE programme_id = $programme_id
    QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY checked_on DESC) = 1
)
SELECT s.household_id, s.street_id, coalesce(st.name, '未归属街道') AS street_name,
       coalesce(s.installer, '') AS installer, l.result, l.checked_on, l.failed_items,
       l.inspector, l.note, coalesce(l.checks, 0) AS checks
FROM spot_check_sample s
JOIN d USING (draw_id)
LEFT JOIN latest l USING (household_id)
LEFT JOIN region st ON st.region_id = s.street_id
WHERE $street_ids IS NULL OR list_contains($street_ids, s.street_id)
ORDER BY street_name, installer, s.household_id;
