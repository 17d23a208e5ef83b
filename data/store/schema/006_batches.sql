-- Monthly installation batches planned by street offices (seed 000: gas company installs, street
-- verifies; seed 002: roster to the gas company by the 10th of each month).
--
-- A batch is a street's roster for one month: crew-days (crew × working day) with a visit order.
-- Status: draft (草稿, editable) → sent (已下发, locked) → confirmed (已确认 by the gas company).
-- A sent or confirmed batch is never edited in place: it must be reopened to draft with a
-- written reason, which bumps `revision`, writes a 'withdrawn' batch_event (003) and an audit
-- entry, so the roster the gas company holds is always traceable.
-- Status changes are also appended to batch_event (003), which the 逾期 page reads.

CREATE TABLE batch (
    batch_id     VARCHAR PRIMARY KEY,      -- e.g. '310105001-2023-08-1'
    programme_id VARCHAR NOT NULL,
    street_id    VARCHAR NOT NULL,
    month        VARCHAR NOT NULL,         -- 'YYYY-MM'
    crews        INTEGER NOT NULL CHECK (crews > 0),
    per_day      INTEGER NOT NULL CHECK (per_day > 0),
    rules        JSON,                     -- priority rules in force, in order
    status       VARCHAR NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'confirmed')),
    revision     INTEGER NOT NULL DEFAULT 1,
    travel_km    DOUBLE,                   -- planned route length when proposed
    naive_km     DOUBLE,                   -- same households in community/address order
    created_by   VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    sent_by      VARCHAR,
    sent_at      TIMESTAMP,
    confirmed_by VARCHAR,
    confirmed_at TIMESTAMP
);

-- One planned visit. Removing a household from a draft keeps the row (removed_at/by/reason):
-- nothing is deleted silently. done_on is filled from the installation table
-- (data.batches.mark_done_from_installations) when the gas company's completed roster is imported.
CREATE TABLE batch_item (
    batch_id      VARCHAR NOT NULL,
    household_id  VARCHAR NOT NULL,
    crew          INTEGER NOT NULL,
    day           DATE NOT NULL,
    seq           INTEGER NOT NULL,
    reason        VARCHAR,                 -- why the household is in the batch (priority rules)
    done_on       DATE,
    added_by      VARCHAR,
    removed_at    TIMESTAMP,
    removed_by    VARCHAR,
    removed_reason VARCHAR,
    PRIMARY KEY (batch_id, household_id)
);
