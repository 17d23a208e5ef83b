-- name: spot_check_failed — households whose latest spot-check result is 不合格 (not accepted until a re-check passes).
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
WITH latest AS (
    SELECT household_id, result, checked_on, failed_items, inspector
    FROM spot_check_result
    WHERE programme_id = $programme_id AND checked_on <= CAST($as_of AS DATE)
    QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY checked_on DESC) = 1
)
SELECT l.household_id, h.street_id, coalesce(st.name, '未归属街道') AS street_name, h.name, h.address,
       l.checked_on, l.failed_items, l.inspector,
       date_diff('day', l.checked_on, CAST($as_of AS DATE)) AS days_open
FROM latest l
JOIN household h ON h.programme_id = $programme_id AND h.household_id = l.household_id
LEFT JOIN region st ON st.region_id = h.street_id
WHERE l.result = '不合格'
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY l.checked_on, l.household_id;
