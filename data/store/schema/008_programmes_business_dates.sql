-- Programmes for any district and history counted at its own dates.
--
-- 1. Templates: device prices may be unknown (seeds 001 and 004 set none); a phase may belong
--    to one user class (seed 001: non-residential by 2022-06-30, residential by 2023-10-31);
--    the template as loaded is kept so that loading a changed file can log old → new.
-- 2. Business date by default: every figure counts records by their business date
--    (installed_on, visited_on, …) as known now, so a district importing its past sees its
--    real burn-up. The as-published view is the same macro with p_known_at (known_by,
--    queries/derived/status.sql): a record (and
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
