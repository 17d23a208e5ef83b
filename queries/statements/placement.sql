-- Placement (data/households/placement.py): where households lie after the point-in-polygon assignment.
-- The point-in-polygon test itself runs in geo/point_in_polygon.py on the rows read here; the
-- named query placement_reference is the same assignment as one SQL join (the reference the
-- tests compare with).

-- name: communities — the programme's communities in region_id order (on a shared border the lower id wins), each with its street and outline as WKB.
SELECT c.region_id, c.parent_id, ST_AsWKB(c.geom) AS wkb
FROM region c
JOIN region st ON c.parent_id = st.region_id
JOIN programme p ON st.parent_id = p.district_id
WHERE p.programme_id = $programme_id AND c.level = 'community'
ORDER BY c.region_id;

-- name: points — households with coordinates and where they are placed now: `was` is the position of their community in `communities` (placed inside it, with its street), -1 when kept outside every community, -2 for anything else (unplaced, or a place the map does not give).
WITH communities AS (
    SELECT c.region_id, c.parent_id,
           (row_number() OVER (ORDER BY c.region_id) - 1)::INTEGER AS k
    FROM region c
    JOIN region st ON c.parent_id = st.region_id
    JOIN programme p ON st.parent_id = p.district_id
    WHERE p.programme_id = $programme_id AND c.level = 'community'
)
SELECT h.household_id, h.lon, h.lat,
       CASE WHEN h.placement = 'inside' THEN coalesce(c.k, -2)
            WHEN h.placement = 'outside' AND h.community_id IS NULL AND h.street_id IS NULL THEN -1
            ELSE -2 END::INTEGER AS was
FROM household h
LEFT JOIN communities c ON c.region_id = h.community_id AND c.parent_id = h.street_id
WHERE h.programme_id = $programme_id AND h.lon IS NOT NULL AND h.lat IS NOT NULL;

-- name: move — write the new place of the households in _anju_placement_moves (registered by data/households/placement.py: only those whose place changed). No RETURNING: at 1M rows it makes a 10,000-row update about ten times slower, and the ids are the registered ones.
UPDATE household
SET community_id = m.community_id, street_id = m.street_id, placement = m.placement
FROM _anju_placement_moves m
WHERE household.programme_id = $programme_id AND household.household_id = m.household_id;

-- name: counts — households of a programme by placement (inside / outside / unplaced).
SELECT placement, count(*) FROM household WHERE programme_id = $programme_id GROUP BY placement;

-- name: total — households of a programme (placement refreshes all of them when most moved).
SELECT count(*) FROM household WHERE programme_id = $programme_id;
