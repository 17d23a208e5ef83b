-- The audit chain in commit order, with a keyed hash and an anchored head.
-- Entries are inserted unsealed (chain_seq NULL) inside whatever transaction writes them; one
-- sealer (data.audit.seal) chains committed entries in the order it sees them committed, so
-- concurrent writers never fork the chain. Entries from before this migration keep their plain
-- SHA-256 chain and are marked scheme = 'sha256' (pre-HMAC); new ones are 'hmac-sha256', keyed by
-- a secret kept outside the database. audit_anchor holds the signed head (last chain_seq and
-- hash), so deleting the newest entries is detected.

ALTER TABLE audit_log ADD COLUMN chain_seq BIGINT;
ALTER TABLE audit_log ADD COLUMN scheme VARCHAR;

UPDATE audit_log SET chain_seq = s.n, scheme = 'sha256'
FROM (SELECT audit_id, row_number() OVER (ORDER BY audit_id) AS n
      FROM audit_log WHERE entry_hash IS NOT NULL) s
WHERE audit_log.audit_id = s.audit_id;

CREATE TABLE audit_anchor (
    anchor_id  INTEGER PRIMARY KEY CHECK (anchor_id = 1),
    chain_seq  BIGINT NOT NULL,
    entry_hash VARCHAR NOT NULL,
    mac        VARCHAR NOT NULL,
    sealed_at  TIMESTAMP NOT NULL
);

-- Browser sessions that survive a reload or a bookmarked page: the browser keeps a random token
-- in a cookie, the database only its SHA-256. Revoked on sign-out and when the account is
-- disabled; expire after idle minutes and at an absolute limit.
CREATE TABLE app_session (
    token_hash  VARCHAR PRIMARY KEY,
    username    VARCHAR NOT NULL,
    via         VARCHAR NOT NULL DEFAULT 'password',
    created_at  TIMESTAMP NOT NULL,
    last_seen   TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);

-- Batch numbers come from a sequence: two sessions saving at once can no longer both take
-- "count + 1" (save() skips a number an older database already used).
CREATE SEQUENCE batch_no_seq;
