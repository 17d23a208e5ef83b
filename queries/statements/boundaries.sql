-- Boundary imports (data/importing/boundaries.py): the regions stored, new outlines added,
-- changed ones replaced with the old outline kept in region_version.

-- name: district — the district a programme covers.
SELECT district_id FROM programme WHERE programme_id = $programme_id;

-- name: regions — every stored region with its outline as WKB.
SELECT region_id, name, level, parent_id, ST_AsWKB(geom) FROM region;

-- name: insert_region — a region new to the database, from the imported file.
INSERT INTO region (region_id, name, level, parent_id, geom, source, synthetic)
VALUES ($region_id, $name, $level, $parent_id, ST_GeomFromWKB($wkb), $source, false);

-- name: keep_version — the outline about to be replaced, kept with the import that replaced it.
INSERT INTO region_version (region_id, name, level, parent_id, geom, source, synthetic, import_id)
SELECT region_id, name, level, parent_id, geom, source, synthetic, $import_id
FROM region WHERE region_id = $region_id;

-- name: update_region — a stored region's name, level, parent and outline from the imported file.
UPDATE region SET name = $name, level = $level, parent_id = $parent_id,
    geom = ST_GeomFromWKB($wkb), source = $source, synthetic = false
WHERE region_id = $region_id;
