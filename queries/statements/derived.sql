-- Statements of data/store/derived.py: the fingerprint of what the derived tables were last
-- recomputed with (the definitions in queries/derived and the applied migrations).

-- name: fingerprint — The stored fingerprint (no row: never recomputed by data.store.derived).
SELECT value FROM app_meta WHERE key = 'derived_fingerprint';

-- name: set_fingerprint — Record the fingerprint the derived tables were just recomputed with.
INSERT OR REPLACE INTO app_meta VALUES ('derived_fingerprint', $value);
