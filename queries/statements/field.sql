-- Statements of data/fieldwork/field.py.

-- name: entries — The field entries of the household, withdrawn ones included (scope checked).
SELECT e.entry_id, e.kind, e.occurred_at, e.recorded_at, e.author, e.detail, e.withdrawn_at, e.withdrawn_by, e.withdrawn_reason, (SELECT count(*)
FROM field_photo p
WHERE p.entry_id = e.entry_id) AS photos
FROM field_entry e
WHERE e.programme_id = $programme_id AND e.household_id = $household_id
ORDER BY e.entry_id DESC;

-- name: devices — The household's installations: device, serials, installed, warranty end, verification.
SELECT i.device_type, coalesce(d.name, i.device_type) AS device_name, i.device_serials, i.installed_on, i.installer, i.warranty_until, i.verified_on, i.verified_by
FROM installation i
LEFT JOIN device_type d USING (programme_id, device_type)
WHERE i.programme_id = $programme_id AND i.household_id = $household_id
ORDER BY i.installed_on;

-- name: hazards — The household's hazards, open ones first (for the rectify / gas cut / restore forms).
SELECT hazard_id, kind, found_on, due_on, rectified_on, gas_cut_on, gas_restored_on
FROM hazard
WHERE programme_id = $programme_id AND household_id = $household_id
ORDER BY rectified_on IS NOT NULL, found_on;

-- name: hazard_kinds — Hazard types of the programme: its settings' `hazard_kinds`, else those it has recorded,
SELECT kind
FROM hazard
WHERE programme_id = $programme_id
GROUP BY kind
ORDER BY count(*) DESC, kind LIMIT 20;

-- name: device_choices — Device sets of the programme that fit the household's gas type: device_type → name.
SELECT device_type, name
FROM device_type
WHERE programme_id = $programme_id AND (gas_type IN ('any', 'none') OR gas_type = $gas_type OR $gas_type IS NULL)
ORDER BY device_type;

-- name: programme_settings — The programme's settings (its template beyond the columns) as a dict.
SELECT settings
FROM programme
WHERE programme_id = $programme_id;

-- name: hazard — used by _hazard()
SELECT hazard_id, kind, found_on, rectified_on, gas_cut_on, gas_restored_on, rectified_recorded_at, gas_cut_recorded_at, restored_recorded_at
FROM hazard
WHERE programme_id = $programme_id AND household_id = $household_id AND hazard_id = $hid;

-- name: last_outcome — used by _last_outcome()
SELECT arg_max(outcome, visited_on)
FROM inspection
WHERE programme_id = $programme_id AND household_id = $household_id AND visited_on <= $on;

-- name: serials — used by _serials()
SELECT DISTINCT upper(trim(s))
FROM (SELECT unnest(string_split(device_serials, ',')) AS s
FROM installation
WHERE programme_id = $programme_id AND device_serials IS NOT NULL)
WHERE upper(trim(s)) IN (SELECT unnest($seen));

-- name: next_entry_id — Check and record one field entry; return its id.
SELECT nextval('field_entry_seq');

-- name: insert_entry — Check and record one field entry; return its id.
INSERT INTO field_entry (entry_id, programme_id, household_id, kind, occurred_at, recorded_at, author, detail, applied, form_key)
VALUES ($entry_id, $programme_id, $household_id, $kind, $when, $now, $username, $v, $applied, $form_key);

-- name: entry_by_form_key — the entry a form (by its key) was already saved as, if any.
SELECT entry_id, programme_id, household_id, kind FROM field_entry WHERE form_key = $form_key;

-- name: insert_inspection — used by apply_visit()
INSERT INTO inspection (household_id, programme_id, visited_on, outcome, note, recorded_at, source_import_id)
VALUES ($hid, $pid, $on, $outcome, $note, $now, $tag);

-- name: insert_hazard — used by apply_visit()
INSERT INTO hazard (hazard_id, household_id, programme_id, kind, found_on, due_on, recorded_at, source_import_id)
VALUES ($hz, $hid, $pid, $k, $on, $value6, $now, $tag);

-- name: first_visit — Validate an entry and return the function that applies it inside the transaction.
SELECT min(visited_on)
FROM inspection
WHERE programme_id = $pid AND household_id = $hid AND outcome <> 'not_home';

-- name: open_gas_cuts — Validate an entry and return the function that applies it inside the transaction.
SELECT count(*)
FROM hazard
WHERE programme_id = $pid AND household_id = $hid AND gas_cut_on <= $on AND (gas_restored_on IS NULL OR gas_restored_on > $on);

-- name: installed_devices — Validate an entry and return the function that applies it inside the transaction.
SELECT list(device_type)
FROM installation
WHERE programme_id = $pid AND household_id = $hid AND device_type IN (SELECT unnest($chosen));

-- name: warranty_years — Validate an entry and return the function that applies it inside the transaction.
SELECT device_type, warranty_years
FROM device_type
WHERE programme_id = $pid;

-- name: open_batch — Validate an entry and return the function that applies it inside the transaction.
SELECT arg_max(i.batch_id, i.day)
FROM batch_item i
JOIN batch b USING (batch_id)
WHERE b.programme_id = $pid AND i.household_id = $hid AND i.removed_at IS NULL;

-- name: apply_installation — used by apply_installation()
INSERT INTO installation (household_id, programme_id, device_type, installed_on, installer, batch_id, warranty_until, signed_resident, signed_installer, device_serials, recorded_at, source_import_id)
VALUES ($hid, $pid, $dev, $on, $installer, $batch, $until, true, true, $value8, $now, $tag);

-- name: installations_to_verify — Validate an entry and return the function that applies it inside the transaction.
SELECT device_type, installed_on, verified_on, verified_by, verified_recorded_at
FROM installation
WHERE programme_id = $pid AND household_id = $hid;

-- name: apply_verification — used by apply_verification()
UPDATE installation
SET verified_on = $on, verified_by = $value2, verified_recorded_at = $now
WHERE programme_id = $pid AND household_id = $hid AND device_type = $dev;

-- name: rectified_at — When the hazard was rectified: the field entry's time, else the start of its day.
SELECT max(occurred_at)
FROM field_entry
WHERE programme_id = $programme_id AND kind = 'rectified' AND withdrawn_at IS NULL AND json_extract_string(applied, '$.touches[0]') = $value2;

-- name: entry — Withdraw an entry: its author within 30 minutes, an administrator at any time, with a
SELECT programme_id, household_id, kind, author, recorded_at, applied, withdrawn_at
FROM field_entry
WHERE entry_id = $entry_id;

-- name: later_entries — Withdraw an entry: its author within 30 minutes, an administrator at any time, with a
SELECT entry_id, applied
FROM field_entry
WHERE programme_id = $pid AND household_id = $hid AND entry_id > $entry_id AND withdrawn_at IS NULL;

-- name: reopen_batch_items — Withdraw an entry: its author within 30 minutes, an administrator at any time, with a
UPDATE batch_item
SET done_on = NULL
WHERE household_id = $hid AND batch_id IN (SELECT batch_id
FROM batch
WHERE programme_id = $pid) AND NOT EXISTS (SELECT 1
FROM installation
WHERE programme_id = $pid AND household_id = $hid);

-- name: mark_withdrawn — Withdraw an entry: its author within 30 minutes, an administrator at any time, with a
UPDATE field_entry
SET withdrawn_at = $value1, withdrawn_by = $username, withdrawn_reason = $value3
WHERE entry_id = $entry_id;

-- name: warning — The warning an entry was recorded with (e.g. gas restored later than the rules allow).
SELECT json_extract_string(applied, '$.warning')
FROM field_entry
WHERE entry_id = $entry_id;

-- name: set_rectified — a hazard rectified on a day, with when that became known.
UPDATE hazard SET rectified_on = $on, rectified_recorded_at = $now
WHERE programme_id = $pid AND household_id = $hid AND hazard_id = $hazard_id;

-- name: set_gas_cut — a hazard's gas supply cut on a day, with when that became known.
UPDATE hazard SET gas_cut_on = $on, gas_cut_recorded_at = $now
WHERE programme_id = $pid AND household_id = $hid AND hazard_id = $hazard_id;

-- name: set_gas_restored — a hazard's gas supply restored on a day, with when that became known.
UPDATE hazard SET gas_restored_on = $on, restored_recorded_at = $now
WHERE programme_id = $pid AND household_id = $hid AND hazard_id = $hazard_id;
