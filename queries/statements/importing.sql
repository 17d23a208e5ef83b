-- Imports (data/importing/core.py): the import log, the values an import replaced, and the
-- rejected rows it quarantined. Reads and writes of the imported table itself name the table
-- and its columns from the import kind, so they stay in core.py.

-- name: table_columns — the columns of a table, in their order (what DESCRIBE lists).
SELECT column_name FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = current_schema()
  AND table_name = $table
ORDER BY column_index;

-- name: insert_change — one value an import replaced, old and new, with the file's row.
INSERT INTO import_change VALUES ($import_id, $table_name, $record_key, $row_no, $column_name,
    $old_value, $new_value);

-- name: log_import — record an import (file, SHA-256, who, counts); returns its id.
INSERT INTO import_log (kind, file_name, sha256, imported_by, programme_id,
    loaded, updated, unchanged, rejected)
VALUES ($kind, $file_name, $sha256, $imported_by, $programme_id,
    $loaded, $updated, $unchanged, $rejected)
RETURNING import_id;

-- name: reject_row — one rejected row, its raw content and the reason shown to the user.
INSERT INTO rejected_row (import_id, row_no, raw, reason) VALUES ($import_id, $row_no, $raw, $reason);

-- name: household_streets — each household's stored street: whose its records are.
SELECT household_id, street_id FROM household WHERE programme_id = $programme_id;

-- name: device_streets — each device serial's stored street (its household's): whose its events are.
SELECT d.serial, h.street_id
FROM device d
LEFT JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
WHERE d.programme_id = $programme_id;
