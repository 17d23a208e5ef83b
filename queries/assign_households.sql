-- name: assign_households — place each household with coordinates in the community (and
-- street) whose polygon contains it; points outside every community are kept and flagged.
-- params: $programme_id
-- A point on a shared border touches two polygons: the lower region_id wins, so it is
-- counted once, the same way every time.
UPDATE household
SET community_id = a.community_id, street_id = a.street_id, placement = a.placement
FROM (
    SELECT h.household_id,
           c.region_id AS community_id,
           c.parent_id AS street_id,
           CASE WHEN c.region_id IS NULL THEN 'outside' ELSE 'inside' END AS placement
    FROM household h
    LEFT JOIN (
        SELECT c.* FROM region c
        JOIN region st ON c.parent_id = st.region_id
        JOIN programme p ON st.parent_id = p.district_id
        WHERE p.programme_id = $programme_id AND c.level = 'community'
    ) c ON ST_Intersects(c.geom, ST_Point(h.lon, h.lat))
    WHERE h.programme_id = $programme_id AND h.lon IS NOT NULL AND h.lat IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY h.household_id ORDER BY c.region_id NULLS LAST) = 1
) a
WHERE household.programme_id = $programme_id AND household.household_id = a.household_id;
