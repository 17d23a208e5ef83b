-- Settlement (data/money/settlement.py): the device types priced, and the resident payments and
-- opt-outs recorded once per household.

-- name: device_types — the programme's device types.
SELECT device_type FROM device_type WHERE programme_id = $programme_id;

-- name: household_exists — whether the household belongs to the programme.
SELECT 1 FROM household WHERE programme_id = $programme_id AND household_id = $household_id;

-- name: paid — whether the household's resident share is already recorded as collected.
SELECT 1 FROM resident_payment WHERE programme_id = $programme_id AND household_id = $household_id;

-- name: opted_out — whether the household's opt-out is already recorded.
SELECT 1 FROM household_opt_out
WHERE programme_id = $programme_id AND household_id = $household_id;

-- name: insert_payment — the community collected a household's resident share.
INSERT INTO resident_payment VALUES ($programme_id, $household_id, $amount_cny, $collected_on,
    $collected_by, $recorded_by, $recorded_at);

-- name: insert_opt_out — a household opted out, with its reason.
INSERT INTO household_opt_out VALUES ($programme_id, $household_id, $reason, $opted_out_on,
    $recorded_by, $recorded_at);
