-- Statements of data/fieldwork/photos.py.

-- name: save — Write the file (once per SHA-256) and its row; inside the caller's transaction.
INSERT INTO field_photo
VALUES ($entry_id, $sha256, $programme_id, $household_id, $file_name, $media_type, $data, $keep_location, $now, $username);

-- name: listing — Photo rows of one household (the caller has checked its scope).
SELECT entry_id, sha256, file_name, media_type, bytes, kept_location, stored_at, stored_by
FROM field_photo
WHERE programme_id = $programme_id AND household_id = $household_id
ORDER BY stored_at DESC;
