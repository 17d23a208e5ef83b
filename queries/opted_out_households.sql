-- name: opted_out_households — households that opted out (seed 002 三: devices still under warranty), with the reason.
-- params: $programme_id, $street_ids (VARCHAR[] or NULL = all streets)
SELECT o.household_id, coalesce(st.name, '未归属街道') AS street_name, o.reason, o.opted_out_on,
       o.recorded_by
FROM household_opt_out o
JOIN household h ON h.programme_id = o.programme_id AND h.household_id = o.household_id
LEFT JOIN region st ON st.region_id = h.street_id
WHERE o.programme_id = $programme_id
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY street_name, o.household_id;
