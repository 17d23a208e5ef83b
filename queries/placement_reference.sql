-- name: placement_reference — where each household with coordinates belongs by one spatial join: the community (and street) whose polygon contains it, or 'outside'; `changed` marks the households whose stored place differs.
-- params: $programme_id
-- The reference that data/households/placement.py (geo/point_in_polygon.py on the points read once; the
-- one placement writer) is checked against in the tests and timed against in the bench. It
-- writes nothing and is never shown to a user.
-- The inner join lets DuckDB use its SPATIAL_JOIN operator (a LEFT JOIN on ST_Intersects
-- falls back to a nested loop: minutes at a million households). A point on a shared border
-- touches two polygons: the lower region_id wins, so it is counted once, the same way every time.
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
), placed AS (
    SELECT p.household_id, hits.community_id, hits.street_id,
           CASE WHEN hits.household_id IS NULL THEN 'outside' ELSE 'inside' END AS placement
    FROM pts p
    LEFT JOIN hits USING (household_id)
)
SELECT a.household_id, a.community_id, a.street_id, a.placement,
       (h.community_id IS DISTINCT FROM a.community_id
        OR h.street_id IS DISTINCT FROM a.street_id
        OR h.placement IS DISTINCT FROM a.placement) AS changed
FROM placed a
JOIN household h ON h.programme_id = $programme_id AND h.household_id = a.household_id
ORDER BY a.household_id;
