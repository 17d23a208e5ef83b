-- name: assign_households — place each household with coordinates in the community (and
-- street) whose polygon contains it; points outside every community are kept and flagged.
-- params: $programme_id
-- Returns the households whose community, street or placement changed.
-- data/placement.py applies the same rule faster (geo/point_in_polygon.py on the points read
-- once, only changed rows written); this statement stays the one-statement definition that
-- tests/test_placement.py compares it with on the demo (the bench: assign_households_seconds).
-- The inner join lets DuckDB use its SPATIAL_JOIN operator (a LEFT JOIN on ST_Intersects
-- falls back to a nested loop: minutes at a million households). A point on a shared border
-- touches two polygons: the lower region_id wins, so it is counted once, the same way every time.
UPDATE household
SET community_id = a.community_id, street_id = a.street_id, placement = a.placement
FROM (
    WITH pts AS (
        SELECT household_id, lon, lat
        FROM household
        WHERE programme_id = $programme_id AND lon IS NOT NULL AND lat IS NOT NULL
    ), communities AS (
        SELECT c.region_id, c.parent_id, c.geom
        FROM region c
        JOIN region st ON c.parent_id = st.region_id
        JOIN programme p ON st.parent_id = p.district_id
        WHERE p.programme_id = $programme_id AND c.level = 'community'
    ), hits AS (
        SELECT p.household_id, c.region_id AS community_id, c.parent_id AS street_id
        FROM pts p
        JOIN communities c ON ST_Intersects(c.geom, ST_Point(p.lon, p.lat))
        QUALIFY row_number() OVER (PARTITION BY p.household_id ORDER BY c.region_id) = 1
    )
    SELECT p.household_id, hits.community_id, hits.street_id,
           CASE WHEN hits.household_id IS NULL THEN 'outside' ELSE 'inside' END AS placement
    FROM pts p
    LEFT JOIN hits USING (household_id)
) a
WHERE household.programme_id = $programme_id AND household.household_id = a.household_id
  -- Only households whose place changes are written (and returned, so the stored status of
  -- just those is refreshed): a re-placement of an unchanged map writes nothing.
  AND (household.community_id IS DISTINCT FROM a.community_id
       OR household.street_id IS DISTINCT FROM a.street_id
       OR household.placement IS DISTINCT FROM a.placement)
RETURNING household.household_id;
