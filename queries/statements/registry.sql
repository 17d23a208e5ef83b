-- Statements of data/fieldwork/registry.py.

-- name: write — used by _write()
INSERT INTO registry_change (programme_id, household_id, change, effective_on, detail, changed_by, changed_at)
VALUES ($pid, $hid, $change, $on, $detail, $username, $value7);

-- name: left_state — The person leaves the registry from `on` (moved / deceased / care / not_alone).
SELECT registered_on, left_on
FROM household
WHERE programme_id = $programme_id AND household_id = $household_id;

-- name: set_left — The person leaves the registry from `on` (moved / deceased / care / not_alone).
UPDATE household
SET left_on = $day, left_reason = $reason
WHERE programme_id = $programme_id AND household_id = $household_id;

-- name: change_helper — A new one-to-one helper from `on` (old → new kept in registry_change and the audit log).
UPDATE household
SET helper_name = $new_name, helper_type = $helper_type, helper_phone = $tel
WHERE programme_id = $programme_id AND household_id = $household_id;

-- name: community_in_street — Add a person found on a visit to the registry of the user's street; the new 户号.
SELECT count(*)
FROM region
WHERE region_id = $community AND level = 'community' AND parent_id = $street;

-- name: added_count — Add a person found on a visit to the registry of the user's street; the new 户号.
SELECT count(*)
FROM household
WHERE programme_id = $programme_id AND household_id LIKE 'ADD-%';

-- name: insert_person — Add a person found on a visit to the registry of the user's street; the new 户号.
INSERT INTO household (household_id, programme_id, street_id, community_id, placement, address, name, sex, birth_year, phone, lives_alone, gas_type, registered_on)
VALUES ($hid, $programme_id, $street, $community, 'unplaced', $address, $person_name, $sex, $birth, $phone, true, $gas_type, $day);

-- name: history — The registry changes of one household, newest first (the caller checked its scope).
SELECT change_id, change, effective_on, detail, changed_by, changed_at
FROM registry_change
WHERE programme_id = $programme_id AND household_id = $household_id
ORDER BY change_id DESC;
