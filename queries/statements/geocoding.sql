-- Locating households from their addresses (data/households/geocoding.py): the district's address base,
-- the households it may place, and the points written back.

-- name: base — the programme's standard address base: one row per building point (WGS84).
SELECT point_id, address, coalesce(estate, '') AS estate, lon, lat
FROM address_point
WHERE programme_id = $programme_id
ORDER BY point_id;

-- name: base_version — a digest of the programme's address base: the parsed base is reused while it is the same.
SELECT count(*), coalesce(sum(hash(point_id, address, estate, lon, lat)), 0)
FROM address_point
WHERE programme_id = $programme_id;

-- name: district_names — names a roster address may start with and that locate nothing: the district's and its streets'.
SELECT r.name
FROM region r
JOIN programme p ON p.programme_id = $programme_id
WHERE r.region_id = p.district_id OR (r.level = 'street' AND r.parent_id = p.district_id);

-- name: district_outline — the programme's district outline as WKB (no row when there is none).
SELECT ST_AsWKB(r.geom) AS wkb
FROM region r
JOIN programme p ON r.region_id = p.district_id
WHERE p.programme_id = $programme_id AND r.geom IS NOT NULL;

-- name: pending — households whose point may come from the address base: no coordinates of their own (none, or one the base gave), of some households (NULL: all).
SELECT household_id, coalesce(address, '') AS address, community_id, street_id,
       lon, lat, loc_level, loc_source, loc_score
FROM household
WHERE programme_id = $programme_id
  AND (loc_source = 'address_base' OR (loc_source IS NULL AND lon IS NULL))
  AND ($household_ids IS NULL OR household_id IN (SELECT unnest($household_ids)))
ORDER BY household_id;

-- name: write_points — the matched points from a registered frame `geocode_rows` (household_id, lon, lat, loc_level, loc_source, loc_score).
UPDATE household
SET lon = g.lon, lat = g.lat, crs_in = CASE WHEN g.lon IS NULL THEN NULL ELSE 'wgs84' END,
    loc_level = g.loc_level, loc_source = g.loc_source, loc_score = g.loc_score
FROM geocode_rows g
WHERE household.programme_id = $programme_id AND household.household_id = g.household_id;

-- name: set_point — one household's point, set by hand (manual) or by the phone at the door (field_gps).
UPDATE household
SET lon = $lon, lat = $lat, crs_in = 'wgs84', loc_level = 'building', loc_source = $source,
    loc_score = NULL
WHERE programme_id = $programme_id AND household_id = $household_id;

-- name: levels — how many households of the programme are located at each level (scope: NULL = all streets).
SELECT coalesce(loc_level, CASE WHEN lon IS NOT NULL THEN 'building'
                                WHEN community_id IS NOT NULL THEN 'community'
                                ELSE 'none' END) AS level,
       count(*) AS households
FROM household
WHERE programme_id = $programme_id
  AND ($street_ids IS NULL OR street_id IN (SELECT unnest($street_ids)))
GROUP BY ALL
ORDER BY level;

-- name: unmatched — households without a building-level point, in id order.
SELECT household_id
FROM household
WHERE programme_id = $programme_id
  AND coalesce(loc_level, CASE WHEN lon IS NOT NULL THEN 'building' ELSE 'none' END)
      <> 'building'
ORDER BY household_id;
