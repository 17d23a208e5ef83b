-- name: recent_imports — the latest imports of a programme: who imported which file when, and the counts.
-- params: $programme_id, $limit, $street_ids (NULL = every import; a street sees its own street's)
SELECT import_id, kind, file_name, imported_by, imported_at,
       loaded, updated, unchanged, rejected, left(sha256, 12) AS sha256_prefix
FROM import_log
WHERE programme_id = $programme_id
  AND ($street_ids IS NULL
       OR imported_by IN (SELECT username FROM app_user
                          WHERE role = 'street' AND list_contains($street_ids, street_id)))
ORDER BY import_id DESC
LIMIT $limit;
