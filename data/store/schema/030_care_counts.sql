-- Seed 004's counts that have no device and no inspection behind them: 三(9) 灭火逃生培训 and
-- 自救逃生演练 (training), 三(8) 水桶、水缸 (fire-fighting equipment, each container one) and
-- 三(10) 上门宣传、张贴宣传标识 (publicity). One row per entry, as entered on 入户登记 or
-- imported; the monthly statistics table sums training and publicity within the month and
-- equipment up to the month's end (containers stay). Rows are never updated: a mistake is
-- corrected by a withdrawal (withdrawn_at), which keeps the row and the audit trail.
CREATE SEQUENCE care_count_seq;
CREATE TABLE care_count (
    count_id         BIGINT PRIMARY KEY DEFAULT nextval('care_count_seq'),
    programme_id     VARCHAR NOT NULL,
    household_id     VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL CHECK (kind IN ('training', 'equipment', 'publicity')),
    done_on          DATE NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    recorded_at      TIMESTAMP NOT NULL,
    recorded_by      VARCHAR NOT NULL,
    withdrawn_at     TIMESTAMP,
    source_import_id VARCHAR
);
