-- City scale: every household's fire-risk score stored as a timeline, kept by the
-- writers.
--
-- fire_risk_households used to return every household's registry fields and data.risk scored
-- them in pandas on every view (4.5 s at a million households). A score only changes on the
-- dates its inputs change: a hazard found or rectified, a visit (and the day it becomes
-- overdue), registration and leaving, and 1 January of the years the household turns 80, 85,
-- 90 and 95 (age is counted in calendar years). So the factor units and the weighted score
-- are stored as spans [valid_from, valid_until) like household_state, with the
-- version of the weights they were computed with.
--
-- data.household_state.refresh (the one write path every writer of household / inspection /
-- installation / hazard rows calls in its transaction) refreshes these spans too; a weight
-- edit (data.risk.set_weights) and a programme settings change (data.programmes.load)
-- refresh the whole programme. `anju check --db PATH` recomputes the table and reports any
-- difference. The units follow data.risk.units exactly; the score sums units × weight in
-- factor order (data.risk.FACTOR_KEYS), as data.risk.score does.

CREATE TABLE fire_risk_score (
    programme_id         VARCHAR NOT NULL,
    household_id         VARCHAR NOT NULL,
    valid_from           DATE NOT NULL,   -- '-infinity' for the span before any change
    valid_until          DATE NOT NULL,   -- exclusive; 'infinity' for the span that holds now
    street_id            VARCHAR,
    community_id         VARCHAR,
    open_hazards         INTEGER NOT NULL,
    last_visit           DATE,
    u_age_band           DOUBLE NOT NULL,
    u_lives_alone        DOUBLE NOT NULL,
    u_smoker             DOUBLE NOT NULL,
    u_drinker            DOUBLE NOT NULL,
    u_combustible_building DOUBLE NOT NULL,
    u_old_building       DOUBLE NOT NULL,
    u_high_floor         DOUBLE NOT NULL,
    u_no_smoke_detector  DOUBLE NOT NULL,
    u_no_one_key_alarm   DOUBLE NOT NULL,
    u_no_rcd             DOUBLE NOT NULL,
    u_no_gas_autoshutoff DOUBLE NOT NULL,
    u_lpg                DOUBLE NOT NULL,
    u_open_hazard        DOUBLE NOT NULL,
    u_no_helper          DOUBLE NOT NULL,
    u_visit_overdue      DOUBLE NOT NULL,
    risk_score           DOUBLE NOT NULL,
    weights_version      VARCHAR NOT NULL
);

-- Each refresh appends a row: the Gi* cache of the 火灾风险 page is keyed by the latest serial
-- of the programme, so any write or weight change makes the next view recompute hotspots.
-- Append-only, so two writers at once never conflict on one row.
CREATE SEQUENCE fire_risk_refresh_seq;
CREATE TABLE fire_risk_refresh (
    serial       BIGINT PRIMARY KEY DEFAULT nextval('fire_risk_refresh_seq'),
    programme_id VARCHAR,             -- NULL: every programme
    refreshed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
