-- Placement (data/placement.py): where households lie after the point-in-polygon assignment.

-- name: counts — households of a programme by placement (inside / outside / unplaced).
SELECT placement, count(*) FROM household WHERE programme_id = $programme_id GROUP BY placement;
