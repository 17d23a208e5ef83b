-- name: batch_items — one batch's households with crew, day and visit order, for the map, the roster and the slips.
-- params: $programme_id, $batch_id, $street_ids (VARCHAR[] or NULL = all streets)
-- Removed items are kept (removed_at) and returned last; done_on falls back to the household's
-- installation date, so planned vs done is right even before mark_done_from_installations ran.
WITH inst AS (
    SELECT household_id, min(installed_on) AS installed_on
    FROM installation WHERE programme_id = $programme_id GROUP BY household_id
)
SELECT bi.batch_id, bi.household_id, bi.crew, bi.day, bi.seq, bi.reason,
       coalesce(bi.done_on, inst.installed_on) AS done_on, bi.removed_at, bi.removed_by,
       bi.removed_reason, h.street_id, s.name AS street_name, h.community_id,
       c.name AS community_name, h.address, h.name, h.phone, h.gas_type,
       year(bi.day) - h.birth_year AS age, h.lon, h.lat,
       coalesce(h.loc_level, CASE WHEN h.lon IS NOT NULL AND h.lat IS NOT NULL THEN 'building'
                                  WHEN h.community_id IS NOT NULL THEN 'community'
                                  ELSE 'none' END) AS loc_level,
       (SELECT string_agg(d.name, '、' ORDER BY d.device_type) FROM device_type d
        WHERE d.programme_id = $programme_id AND d.gas_type IN (h.gas_type, 'any')) AS device_name
FROM batch_item bi
JOIN batch b USING (batch_id)
JOIN household h ON h.programme_id = b.programme_id AND h.household_id = bi.household_id
LEFT JOIN region s ON s.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
LEFT JOIN inst ON inst.household_id = bi.household_id
WHERE b.programme_id = $programme_id AND bi.batch_id = $batch_id
  AND ($street_ids IS NULL OR list_contains($street_ids, b.street_id))
ORDER BY bi.removed_at IS NOT NULL, bi.day, bi.crew, bi.seq, bi.household_id;
