-- Placement (data/placement.py): where households lie after the point-in-polygon assignment.

-- name: counts — households of a programme by placement (inside / outside / unplaced).
SELECT placement, count(*) FROM household WHERE programme_id = $programme_id GROUP BY placement;

-- name: total — households of a programme (placement refreshes all of them when most moved).
SELECT count(*) FROM household WHERE programme_id = $programme_id;
