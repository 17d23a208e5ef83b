-- name: locate_pending — one page of the scope's households without a building-level point (待定位), community by community; total_rows is the whole list's length.
-- params: $programme_id, $street_ids (VARCHAR[] or NULL = all streets), $search (VARCHAR or NULL: part of the household id, community, address or name), $limit (INTEGER), $offset (INTEGER)
-- The level is read as data/households/geocoding.py counts it (queries/statements/geocoding.sql, levels).
WITH listed AS (
    SELECT h.household_id, h.street_id, st.name AS street_name, h.community_id,
           c.name AS community_name, h.name, h.address, h.phone,
           coalesce(h.loc_level, CASE WHEN h.lon IS NOT NULL THEN 'building'
                                      WHEN h.community_id IS NOT NULL THEN 'community'
                                      ELSE 'none' END) AS loc_level,
           h.loc_score, h.lon, h.lat
    FROM household h
    LEFT JOIN region st ON st.region_id = h.street_id
    LEFT JOIN region c ON c.region_id = h.community_id
    WHERE h.programme_id = $programme_id
      AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
      AND ($search IS NULL
           OR contains(h.household_id, $search) OR contains(coalesce(c.name, ''), $search)
           OR contains(coalesce(h.address, ''), $search) OR contains(coalesce(h.name, ''), $search))
), pending AS (
    SELECT * FROM listed WHERE loc_level <> 'building'
), counted AS (
    SELECT count(*) AS total_rows FROM pending
)
-- The row count is its own aggregate, not count(*) OVER (): DuckDB's window operator
-- without PARTITION/ORDER races under load behind an outer join (docs/upstream-duckdb-window-race.md).
SELECT pending.*, counted.total_rows
FROM pending, counted
ORDER BY community_name NULLS LAST, address NULLS LAST, household_id
LIMIT $limit OFFSET $offset;
