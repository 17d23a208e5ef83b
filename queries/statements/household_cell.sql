-- Statements of data/households/household_cell.py (household_cell).
-- A household located only to its road (loc_level 'road': the road's middle, often hundreds of
-- metres from the door) has no cells: small-area maps and H3 Gi* would pile a road's households
-- into one wrong cell. Building and estate points have cells; community-only ones no point.

-- name: delete_stale — Stored cells of a programme (NULL: all), of some households (NULL: all), whose household is gone or has another point (or none, or only its road's) now.
DELETE FROM household_cell c
WHERE ($programme_id IS NULL OR c.programme_id = $programme_id)
  AND ($household_ids::VARCHAR[] IS NULL
       OR c.household_id IN (SELECT unnest($household_ids::VARCHAR[])))
  AND NOT EXISTS (
      SELECT 1 FROM household h
      WHERE h.programme_id = c.programme_id AND h.household_id = c.household_id
        AND h.lon = c.lon AND h.lat = c.lat AND NOT isnan(h.lon) AND NOT isnan(h.lat)
        AND h.loc_level IS DISTINCT FROM 'road');

-- name: missing — Points of the households (same scope) that have both coordinates, more than their road's, and no stored cells.
SELECT h.programme_id, h.household_id, h.lon, h.lat
FROM household h
WHERE ($programme_id IS NULL OR h.programme_id = $programme_id)
  AND ($household_ids::VARCHAR[] IS NULL
       OR h.household_id IN (SELECT unnest($household_ids::VARCHAR[])))
  AND h.lon IS NOT NULL AND h.lat IS NOT NULL AND NOT isnan(h.lon) AND NOT isnan(h.lat)
  AND h.loc_level IS DISTINCT FROM 'road'
  AND NOT EXISTS (SELECT 1 FROM household_cell c
                  WHERE c.programme_id = h.programme_id AND c.household_id = h.household_id)
ORDER BY h.programme_id, h.household_id;

-- name: insert — Insert the cells computed in Python (registered as _anju_household_cell).
INSERT INTO household_cell BY NAME SELECT * FROM _anju_household_cell;

-- name: points — Every household's point (both coordinates, more than its road's), for the check's recomputation.
SELECT h.programme_id, h.household_id, h.lon, h.lat
FROM household h
WHERE h.lon IS NOT NULL AND h.lat IS NOT NULL AND NOT isnan(h.lon) AND NOT isnan(h.lat)
  AND h.loc_level IS DISTINCT FROM 'road'
ORDER BY h.programme_id, h.household_id;

-- name: diff_count — How many rows differ between the stored cells and the recomputation (registered as _anju_household_cell).
WITH stored AS (SELECT * FROM household_cell EXCEPT ALL SELECT * FROM _anju_household_cell),
fresh AS (SELECT * FROM _anju_household_cell EXCEPT ALL SELECT * FROM household_cell)
SELECT (SELECT count(*) FROM stored) + (SELECT count(*) FROM fresh);

-- name: diff_rows — The first $limit differing rows: programme, household, side, lon, lat.
WITH stored AS (SELECT * FROM household_cell EXCEPT ALL SELECT * FROM _anju_household_cell),
fresh AS (SELECT * FROM _anju_household_cell EXCEPT ALL SELECT * FROM household_cell),
diff AS (
    SELECT '已存' AS side, * FROM stored UNION ALL BY NAME SELECT '重算' AS side, * FROM fresh
)
SELECT programme_id, household_id, side, lon, lat
FROM diff
ORDER BY programme_id, household_id, side
LIMIT $limit;
