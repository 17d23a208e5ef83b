-- name: region_shapes — outlines of one level of regions in a programme's district, as WKB.
-- params: $programme_id, $level ('district' | 'street' | 'community'), $street_ids (VARCHAR[] or NULL)
-- Street scope applies to streets and communities; the district outline is always returned whole.
SELECT r.region_id, r.name, r.parent_id, r.synthetic, r.source, ST_AsWKB(r.geom) AS geom_wkb
FROM region r, programme p
WHERE p.programme_id = $programme_id AND r.level = $level
  AND CASE r.level
        WHEN 'district' THEN r.region_id = p.district_id
        WHEN 'street' THEN r.parent_id = p.district_id
             AND ($street_ids IS NULL OR list_contains($street_ids, r.region_id))
        ELSE r.parent_id IN (SELECT region_id FROM region WHERE parent_id = p.district_id
                             AND ($street_ids IS NULL OR list_contains($street_ids, region_id)))
      END
ORDER BY r.region_id;
