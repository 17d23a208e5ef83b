-- City scale: every household's status as a timeline, kept by the writers.
--
-- household_status / household_milestones used to rebuild every household's status from the
-- three event tables on every call (seconds at a million households). A household's status
-- only changes on the dates of its own events, so it is stored as spans [valid_from,
-- valid_until): one row per household per change, the first from -infinity. The business-date
-- view (p_known_at NULL, the default) reads the one span that holds on the date; the
-- as-published view (p_known_at given) still counts from the events, exactly.
--
-- Every writer of household / inspection / installation / hazard rows refreshes the spans of
-- the households it touched in the same transaction (data.household_state.refresh, the one
-- write path); `anju check --db PATH` recomputes the whole table from the events and reports
-- any difference. The spans are computed by household_state_compute (queries/derived/status.sql);
-- a database migrated with data already in it gets them at connect (data.derived).

CREATE TABLE household_state (
    programme_id VARCHAR NOT NULL,
    household_id VARCHAR NOT NULL,
    valid_from   DATE NOT NULL,     -- the span starts on this business date ('-infinity': before any event)
    valid_until  DATE NOT NULL,     -- exclusive; 'infinity' for the span that holds now
    street_id    VARCHAR,
    community_id VARCHAR,
    gas_type     VARCHAR,
    placement    VARCHAR,
    user_class   VARCHAR,
    surveyed     BOOLEAN NOT NULL,
    installed    BOOLEAN NOT NULL,
    verified     BOOLEAN NOT NULL,
    hazard_open  BOOLEAN NOT NULL,
    gas_cut      BOOLEAN NOT NULL,
    refused      BOOLEAN NOT NULL,
    surveyed_on  DATE,              -- milestones (first day counted), the same on every span
    installed_on DATE,
    verified_on  DATE
);
