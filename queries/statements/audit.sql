-- Audit log (data/audit.py): where the database lives (its key sits beside it), and the log
-- and its anchor read back whole for `check()`.

-- name: database_file — the file behind the connection; empty for an in-memory database.
SELECT path FROM duckdb_databases() WHERE database_name = current_database();

-- name: entries — every entry in chain order, the unchained ones last.
SELECT audit_id, chain_seq, scheme, logged_at, actor, action, object,
       CAST(detail AS VARCHAR), prev_hash, entry_hash
FROM audit_log ORDER BY chain_seq NULLS LAST, audit_id;

-- name: anchor — the signed head of the chain.
SELECT chain_seq, entry_hash, mac FROM audit_anchor WHERE anchor_id = 1;
