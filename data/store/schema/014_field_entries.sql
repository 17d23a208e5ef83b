-- Field work from a phone: what was recorded at the door, by whom, and its photos.
--
-- Every entry made on the 入户登记 page is kept here as entered (detail) together with what it
-- wrote into the event tables (applied: the rows it inserted, the columns it changed and their
-- previous values). The event tables (inspection / hazard / installation) hold the effect, so
-- every page counts it at once; their rows carry source_import_id = 'field:<entry_id>'.
-- Withdrawing an entry (its author within 30 minutes, an administrator later, always with a
-- reason) undoes its effect in the event tables and stamps the entry: the entry itself, its
-- photos and the audit log keep the history; no count includes it any more.

CREATE SEQUENCE field_entry_seq;
CREATE TABLE field_entry (
    entry_id         BIGINT PRIMARY KEY DEFAULT nextval('field_entry_seq'),
    programme_id     VARCHAR NOT NULL,
    household_id     VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL CHECK (kind IN ('visit', 'rectified', 'gas_cut',
                         'gas_restored', 'installation', 'verification', 'helper_visit',
                         'refusal')),
    occurred_at      TIMESTAMP NOT NULL,   -- when it happened (Beijing time, as entered)
    recorded_at      TIMESTAMP NOT NULL,   -- when it reached Anju
    author           VARCHAR NOT NULL,
    detail           JSON NOT NULL,        -- the form as entered (bounded text)
    applied          JSON NOT NULL,        -- its effect on the event tables, to undo it
    withdrawn_at     TIMESTAMP,
    withdrawn_by     VARCHAR,
    withdrawn_reason VARCHAR
);

-- Photos (signed slip, hazard) in a store beside the database, named by their SHA-256;
-- EXIF removed except the location when the user agreed to keep it.
CREATE TABLE field_photo (
    entry_id      BIGINT NOT NULL,
    sha256        VARCHAR NOT NULL,
    programme_id  VARCHAR NOT NULL,
    household_id  VARCHAR NOT NULL,
    file_name     VARCHAR NOT NULL,      -- as uploaded (bounded), shown as text only
    media_type    VARCHAR NOT NULL,      -- image/jpeg | image/png | image/heic
    bytes         INTEGER NOT NULL,
    kept_location BOOLEAN NOT NULL,
    stored_at     TIMESTAMP NOT NULL,
    stored_by     VARCHAR NOT NULL,
    PRIMARY KEY (entry_id, sha256)
);

-- Seed 004's registry is kept alive (动态更新): a person moves away, dies, enters a care home or
-- no longer lives alone — from `left_on` they leave the registry's target (the monthly table and
-- the fire-risk list count only people on the registry at the date) and stay in the history.
-- Every change (a person added on a visit, one who left, a new helper) is a registry_change row
-- and an audit entry.
ALTER TABLE household ADD COLUMN left_on DATE;
ALTER TABLE household ADD COLUMN left_reason VARCHAR;

CREATE SEQUENCE registry_change_seq;
CREATE TABLE registry_change (
    change_id    BIGINT PRIMARY KEY DEFAULT nextval('registry_change_seq'),
    programme_id VARCHAR NOT NULL,
    household_id VARCHAR NOT NULL,
    change       VARCHAR NOT NULL CHECK (change IN ('added', 'left', 'helper')),
    effective_on DATE NOT NULL,
    detail       JSON NOT NULL,          -- old → new values
    changed_by   VARCHAR NOT NULL,
    changed_at   TIMESTAMP NOT NULL
);
