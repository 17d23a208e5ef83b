-- Audit log (data/store/audit.py): where the database lives (its key sits beside it), and the log
-- and its anchor read back whole for `check()`.

-- name: database_file — the file behind the connection; empty for an in-memory database.
SELECT path FROM duckdb_databases() WHERE database_name = current_database();

-- name: entries — every entry in chain order, the unchained ones last.
SELECT audit_id, chain_seq, scheme, logged_at, actor, action, object,
       CAST(detail AS VARCHAR), prev_hash, entry_hash
FROM audit_log ORDER BY chain_seq NULLS LAST, audit_id;

-- name: anchor — the signed head of the chain.
SELECT chain_seq, entry_hash, mac FROM audit_anchor WHERE anchor_id = 1;

-- name: insert_entry — one entry with its own MAC, in the writer's unit of work (chained later by seal).
INSERT INTO audit_log (logged_at, actor, action, object, detail, entry_hash)
VALUES ($logged_at, $actor, $action, $object, $detail, $entry_hash);

-- name: chain_head — the last chained entry: its position and hash.
SELECT chain_seq, entry_hash FROM audit_log WHERE chain_seq IS NOT NULL
ORDER BY chain_seq DESC LIMIT 1;

-- name: unchained — committed entries not chained yet, in commit (id) order.
SELECT audit_id, logged_at, actor, action, object, CAST(detail AS VARCHAR), entry_hash
FROM audit_log WHERE chain_seq IS NULL ORDER BY audit_id;

-- name: chain_entry — one entry's place in the chain.
UPDATE audit_log SET chain_seq = $seq, prev_hash = $prev, entry_hash = $entry, scheme = $scheme
WHERE audit_id = $audit_id;

-- name: set_anchor — the signed head of the chain.
INSERT OR REPLACE INTO audit_anchor VALUES (1, $seq, $head, $mac, $at);

-- name: chained_hash — the hash of the entry at chain position $seq (none if there is none).
SELECT entry_hash FROM audit_log WHERE chain_seq = $seq;
