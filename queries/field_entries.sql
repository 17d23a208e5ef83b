-- name: field_entries — the field entries of one household, newest first, with withdrawal and photo count (入户登记).
-- params: $programme_id, $household_id
SELECT e.entry_id, e.kind, e.occurred_at, e.recorded_at, e.author, e.detail,
       e.withdrawn_at, e.withdrawn_by, e.withdrawn_reason,
       (SELECT count(*) FROM field_photo p WHERE p.entry_id = e.entry_id) AS photos
FROM field_entry e
WHERE e.programme_id = $programme_id AND e.household_id = $household_id
ORDER BY e.entry_id DESC;
