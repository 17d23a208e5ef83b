-- Programmes for any district (issue 11) and history counted at its own dates.
--
-- 1. Templates: device prices may be unknown (seeds 001 and 004 set none); a phase may belong
--    to one user class (seed 001: non-residential by 2022-06-30, residential by 2023-10-31);
--    the template as loaded is kept so that loading a changed file can log old → new.
-- 2. Business date by default: every figure counts records by their business date
--    (installed_on, visited_on, …) as known now, so a district importing its past sees its
--    real burn-up. The as-published view is the same macro with p_known_at: a record (and
--    each later update of it: rectification, gas cut / restore, verification) counts only if
--    it had reached Anju before p_known_at. Updates carry their own recorded-at columns,
--    stamped by the writers (data.knowledge), so a published bulletin is re-shown exactly
--    after late rectifications or verifications. recorded_at values are Beijing local time
--    (Asia/Shanghai), like every "now" in Anju.
-- 3. Published bulletins (第N期) are stored with the knowledge time they were issued at.

ALTER TABLE device_type ALTER COLUMN unit_price_cny DROP NOT NULL;

-- User classes (seed 001: residential / non-residential) with their own target and deadline,
-- and the phases that belong to one class only (programme_phase keeps the programme-wide plan).
CREATE TABLE programme_class (
    programme_id      VARCHAR NOT NULL,
    user_class        VARCHAR NOT NULL CHECK (user_class IN ('residential', 'non_residential')),
    name              VARCHAR NOT NULL,
    target_households INTEGER,
    install_deadline  DATE,
    PRIMARY KEY (programme_id, user_class)
);

CREATE TABLE programme_class_phase (
    programme_id VARCHAR NOT NULL,
    user_class   VARCHAR NOT NULL,
    phase_no     INTEGER NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('survey', 'install', 'archive', 'other')),
    name         VARCHAR NOT NULL,
    starts       DATE NOT NULL,
    ends         DATE NOT NULL,
    PRIMARY KEY (programme_id, user_class, phase_no)
);

-- A household's class: 'residential', or one of the non-residential sectors of seed 001.
CREATE OR REPLACE MACRO class_of(p_user_class) AS
    CASE WHEN coalesce(p_user_class, 'residential') = 'residential' THEN 'residential'
         ELSE 'non_residential' END;

CREATE TABLE programme_source (
    programme_id VARCHAR PRIMARY KEY,
    template     JSON NOT NULL,          -- the template as loaded (dates as ISO strings)
    sha256       VARCHAR NOT NULL,
    loaded_at    TIMESTAMP NOT NULL,
    loaded_by    VARCHAR NOT NULL
);

ALTER TABLE hazard ADD COLUMN rectified_recorded_at TIMESTAMP;
ALTER TABLE hazard ADD COLUMN gas_cut_recorded_at TIMESTAMP;
ALTER TABLE hazard ADD COLUMN restored_recorded_at TIMESTAMP;
ALTER TABLE installation ADD COLUMN verified_recorded_at TIMESTAMP;

CREATE TABLE bulletin_issue (
    programme_id VARCHAR NOT NULL,
    issue_no     INTEGER NOT NULL,        -- 第N期, per programme
    as_of        DATE NOT NULL,           -- 统计日期
    known_at     TIMESTAMP NOT NULL,      -- knowledge time: records recorded before it count
    published_at TIMESTAMP NOT NULL,
    published_by VARCHAR NOT NULL,
    summary      VARCHAR NOT NULL,        -- the summary paragraph as issued
    kpis         JSON NOT NULL,           -- the KPI cards as issued
    PRIMARY KEY (programme_id, issue_no)
);

-- Whether a record (or an update of one) counts. p_known_at NULL: everything in the database
-- counts (business date as known now). Otherwise only what was recorded before p_known_at; a
-- record without a recorded-at is taken as known on its event date. p_as_of is kept for the
-- callers written before migration 008 (the business date itself is filtered by the caller).
CREATE OR REPLACE MACRO known_by(p_recorded_at, p_event_on, p_as_of, p_known_at := NULL) AS
    p_known_at IS NULL
    OR coalesce(p_recorded_at, CAST(p_event_on AS TIMESTAMP)) < CAST(p_known_at AS TIMESTAMP);

-- The one definition of a household's status as of a date (p_known_at: see known_by),
-- computed from the events. Queries read it through household_status below, which a later
-- migration may serve from stored state without restating this body.
CREATE MACRO household_status_events(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
WITH insp AS (
    SELECT household_id,
           bool_or(outcome <> 'not_home') AS surveyed,
           arg_max(outcome, visited_on) AS last_outcome
    FROM inspection
    WHERE programme_id = p_programme_id AND visited_on <= p_as_of
      AND known_by(recorded_at, visited_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
), inst AS (
    SELECT household_id,
           true AS installed,
           bool_or(verified_on IS NOT NULL AND verified_on <= p_as_of
                   AND known_by(verified_recorded_at, verified_on, p_as_of,
                                p_known_at := p_known_at)) AS verified
    FROM installation
    WHERE programme_id = p_programme_id AND installed_on <= p_as_of
      AND known_by(recorded_at, installed_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
), haz AS (
    SELECT household_id,
           bool_or(NOT coalesce(rectified_on <= p_as_of
                   AND known_by(rectified_recorded_at, rectified_on, p_as_of,
                                p_known_at := p_known_at), false)) AS hazard_open,
           bool_or(coalesce(gas_cut_on <= p_as_of
                   AND known_by(gas_cut_recorded_at, gas_cut_on, p_as_of, p_known_at := p_known_at)
                   AND NOT coalesce(gas_restored_on <= p_as_of
                       AND known_by(restored_recorded_at, gas_restored_on, p_as_of,
                                    p_known_at := p_known_at), false), false)) AS gas_cut
    FROM hazard
    WHERE programme_id = p_programme_id AND found_on <= p_as_of
      AND known_by(recorded_at, found_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
)
SELECT h.household_id, h.street_id, h.community_id, h.gas_type, h.placement, h.user_class,
       coalesce(insp.surveyed, false) OR coalesce(inst.installed, false) AS surveyed,
       coalesce(inst.installed, false) AS installed,
       coalesce(inst.verified, false) AS verified,
       coalesce(haz.hazard_open, false) AS hazard_open,
       coalesce(haz.gas_cut, false) AS gas_cut,
       coalesce(insp.last_outcome = 'refused' AND NOT coalesce(inst.installed, false), false) AS refused
FROM household h
LEFT JOIN insp USING (household_id)
LEFT JOIN inst USING (household_id)
LEFT JOIN haz USING (household_id)
WHERE h.programme_id = p_programme_id;

CREATE OR REPLACE MACRO household_status(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
SELECT * FROM household_status_events(p_programme_id, p_as_of, p_known_at := p_known_at);

-- The first day each household counted as surveyed / installed / verified, by business date,
-- using what was known before p_known_at (NULL: now). `x_on <= W` for any W <= p_as_of gives
-- exactly household_status(p, W, p_known_at).x, so a weekly series needs one pass.
CREATE MACRO household_milestones_events(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
WITH inst AS (
    SELECT household_id,
           min(installed_on) AS installed_on,
           min(CASE WHEN verified_on IS NOT NULL AND verified_on <= p_as_of
                         AND known_by(verified_recorded_at, verified_on, p_as_of,
                                      p_known_at := p_known_at)
                    THEN greatest(installed_on, verified_on) END) AS verified_on
    FROM installation
    WHERE programme_id = p_programme_id AND installed_on <= p_as_of
      AND known_by(recorded_at, installed_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
), insp AS (
    SELECT household_id, min(visited_on) AS surveyed_on
    FROM inspection
    WHERE programme_id = p_programme_id AND visited_on <= p_as_of AND outcome <> 'not_home'
      AND known_by(recorded_at, visited_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
)
SELECT h.household_id, h.street_id, h.community_id, h.user_class,
       least(insp.surveyed_on, inst.installed_on) AS surveyed_on,
       inst.installed_on,
       CASE WHEN inst.verified_on <= p_as_of THEN inst.verified_on END AS verified_on
FROM household h
LEFT JOIN insp USING (household_id)
LEFT JOIN inst USING (household_id)
WHERE h.programme_id = p_programme_id;

CREATE OR REPLACE MACRO household_milestones(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
SELECT * FROM household_milestones_events(p_programme_id, p_as_of, p_known_at := p_known_at);

-- One user class's plan: its own phases of that kind, else the programme-wide ones.
CREATE OR REPLACE MACRO plan_fraction_class(p_programme_id, p_user_class, p_kind, p_as_of) AS (
    WITH own AS (
        SELECT starts, ends FROM programme_class_phase
        WHERE programme_id = p_programme_id AND user_class = p_user_class AND kind = p_kind
    ), phases AS (
        SELECT * FROM own
        UNION ALL
        SELECT starts, ends FROM programme_phase
        WHERE programme_id = p_programme_id AND kind = p_kind
          AND NOT EXISTS (SELECT 1 FROM own)
    )
    SELECT coalesce(max(greatest(0.0, least(1.0,
               (date_diff('day', starts, CAST(p_as_of AS DATE)) + 1)::DOUBLE
               / (date_diff('day', starts, ends) + 1)))), 0.0)
    FROM phases
);
