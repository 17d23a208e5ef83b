-- Event imports (data/importing/events.py): the programme's households, device types,
-- stored installations and hazards an imported row is matched against.

-- name: households — the programme's households with their street's name, to match rows to.
SELECT h.household_id, h.name, h.address, h.phone, h.street_id, h.gas_type, s.name
FROM household h LEFT JOIN region s ON s.region_id = h.street_id
WHERE h.programme_id = $programme_id;

-- name: device_types — the programme's device types, to match a row's device to.
SELECT device_type, name, gas_type, warranty_years FROM device_type
WHERE programme_id = $programme_id ORDER BY device_type;

-- name: installation — the stored installation a row would change.
SELECT * FROM installation
WHERE programme_id = $programme_id AND household_id = $household_id AND device_type = $device_type;

-- name: hazards — the programme's stored hazards, to key rows without a 隐患编号.
SELECT household_id, kind, found_on, hazard_id FROM hazard WHERE programme_id = $programme_id;

-- name: has_batches — whether the batch tables exist (batch items follow installations).
SELECT count(*) FROM information_schema.tables WHERE table_name = 'batch_item';
