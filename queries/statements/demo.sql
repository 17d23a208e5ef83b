-- The demo database (data/demos/demo.py, data/demos/demo_wushen.py, data/demos/demo_events.py): regions from a
-- generated frame, report receipts, the dataset marker, and the serials and service events
-- added to the generated households.

-- name: dataset — what the database says it is ('demo' for a demo database).
SELECT value FROM app_meta WHERE key = 'dataset';

-- name: insert_regions — the generated regions, from the frame registered as _demo_regions.
INSERT INTO region
SELECT region_id, name, level, parent_id, ST_GeomFromWKB(geom_wkb), source, synthetic
FROM _demo_regions;

-- name: insert_receipt — one report the district received.
INSERT INTO report_receipt (programme_id, report, period, received_on, received_by, recorded_at)
VALUES ($programme_id, $report, $period, $received_on, $received_by, $recorded_at);

-- name: set_meta — one app_meta entry (dataset, seed, as-of day, default programme).
INSERT OR REPLACE INTO app_meta VALUES ($key, $value);

-- name: set_serials — the installations' serials, from the frame registered as _serials.
UPDATE installation i SET device_serials = s.device_serials FROM _serials s
WHERE i.programme_id = $programme_id AND i.household_id = s.household_id
  AND i.device_type = s.device_type;

-- name: installations — the programme's installations in installation order.
SELECT household_id, device_type, installed_on, installer FROM installation
WHERE programme_id = $programme_id ORDER BY installed_on, household_id;

-- name: placed_homes — the programme's households placed in a street, by id.
SELECT household_id, street_id, community_id, address, lon, lat FROM household
WHERE programme_id = $programme_id AND street_id IS NOT NULL ORDER BY household_id;

-- name: verified_streets — each (month, street id, street name) with installations verified in it.
SELECT DISTINCT strftime(i.verified_on, '%Y-%m') AS month, h.street_id, st.name
FROM installation i
JOIN household h ON h.programme_id = i.programme_id AND h.household_id = i.household_id
JOIN region st ON st.region_id = h.street_id
WHERE i.programme_id = $programme_id AND i.verified_on IS NOT NULL AND h.street_id IS NOT NULL
ORDER BY month, h.street_id;
