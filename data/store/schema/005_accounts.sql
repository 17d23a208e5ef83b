-- Local accounts and a tamper-evident audit log.
-- Passwords are stored only as argon2id hashes; the audit log is append-only and each entry
-- carries the hash of the previous one, so an edited or deleted row breaks the chain.

CREATE TABLE app_user (
    username             VARCHAR PRIMARY KEY,
    role                 VARCHAR NOT NULL CHECK (role IN ('leader', 'street', 'fire', 'finance', 'admin')),
    street_id            VARCHAR,
    display_name         VARCHAR,
    password_hash        VARCHAR NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT true,
    disabled             BOOLEAN NOT NULL DEFAULT false,
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMP,
    created_at           TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_login_at        TIMESTAMP,
    CHECK (role <> 'street' OR street_id IS NOT NULL)
);

ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR;
ALTER TABLE audit_log ADD COLUMN entry_hash VARCHAR;
