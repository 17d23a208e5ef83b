-- Spot checks (抽查), results, acceptance up the chain (验收), settlement inputs and the gas
-- company's confirmation table. Everything is append-only: a redraw, a re-check, a
-- return or a reopening is a new row, never an update, so any past state can be re-shown.

-- One row per draw. A redraw of a programme+month needs a reason; the latest draw is in force and
-- every earlier one is kept with its sample (nothing is overwritten).
CREATE SEQUENCE spot_check_draw_seq;
CREATE TABLE spot_check_draw (
    draw_id      INTEGER PRIMARY KEY DEFAULT nextval('spot_check_draw_seq'),
    programme_id VARCHAR NOT NULL,
    month        VARCHAR NOT NULL,          -- 'YYYY-MM'
    seed         BIGINT NOT NULL,
    rate         DOUBLE NOT NULL,
    scope        VARCHAR NOT NULL,          -- 当月完工 | 当月确认单
    population   INTEGER NOT NULL,
    sample_size  INTEGER NOT NULL,
    drawn_by     VARCHAR NOT NULL,
    drawn_at     TIMESTAMP NOT NULL,
    reason       VARCHAR                    -- required for a redraw
);

CREATE TABLE spot_check_sample (
    draw_id      INTEGER NOT NULL,
    programme_id VARCHAR NOT NULL,
    household_id VARCHAR NOT NULL,
    street_id    VARCHAR,
    installer    VARCHAR,
    PRIMARY KEY (draw_id, household_id)
);

-- Results per sampled household; a later row for the same household is a re-check.
CREATE TABLE spot_check_result (
    programme_id     VARCHAR NOT NULL,
    household_id     VARCHAR NOT NULL,
    checked_on       DATE NOT NULL,
    result           VARCHAR NOT NULL CHECK (result IN ('合格', '不合格')),
    failed_items     VARCHAR,
    inspector        VARCHAR,
    note             VARCHAR,
    photos           VARCHAR,
    recorded_by      VARCHAR,
    recorded_at      TIMESTAMP,
    source_import_id VARCHAR,
    PRIMARY KEY (programme_id, household_id, checked_on)
);

-- A street's month up the chain: submitted → accepted | returned; accepted → reopened.
CREATE SEQUENCE acceptance_event_seq;
CREATE TABLE acceptance_event (
    event_id     BIGINT PRIMARY KEY DEFAULT nextval('acceptance_event_seq'),  -- order of events
    programme_id VARCHAR NOT NULL,
    street_id    VARCHAR NOT NULL,
    month        VARCHAR NOT NULL,          -- 'YYYY-MM'
    event        VARCHAR NOT NULL CHECK (event IN ('submitted', 'accepted', 'returned', 'reopened')),
    installations INTEGER,                  -- figures as submitted
    reason       VARCHAR,
    actor        VARCHAR NOT NULL,
    event_at     TIMESTAMP NOT NULL
);

-- Seed 002 三: households whose devices are still under warranty may opt out.
CREATE TABLE household_opt_out (
    programme_id VARCHAR NOT NULL,
    household_id VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    opted_out_on DATE,
    recorded_by  VARCHAR,
    recorded_at  TIMESTAMP,
    PRIMARY KEY (programme_id, household_id)
);

-- Seed 002 七: the community collects the resident share and pays the gas company.
CREATE TABLE resident_payment (
    programme_id VARCHAR NOT NULL,
    household_id VARCHAR NOT NULL,
    amount_cny   DECIMAL(12, 2) NOT NULL,
    collected_on DATE NOT NULL,
    collected_by VARCHAR,
    recorded_by  VARCHAR,
    recorded_at  TIMESTAMP,
    PRIMARY KEY (programme_id, household_id)
);

-- The gas company's monthly confirmation table (seed 000 加装报警器确认表): per household, or
-- per street and month with a count (household_id '' then).
CREATE TABLE gas_confirmation (
    programme_id     VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,      -- 'YYYY-MM'
    household_id     VARCHAR NOT NULL,      -- '' for a per-street count row
    street_id        VARCHAR NOT NULL,      -- '' when unknown
    confirmed_count  INTEGER NOT NULL,
    confirmed_on     DATE,
    recorded_at      TIMESTAMP,
    source_import_id VARCHAR,
    PRIMARY KEY (programme_id, period, household_id, street_id)
);
