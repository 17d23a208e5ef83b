-- Weekly briefing and overdue lists: report receipts and batch status events (the weekly
-- milestones are household_milestones, queries/derived/milestones.sql).

-- Periodic reports a programme expects (seed 000: the gas company's 加装报警器确认表 by the
-- 25th of each month). One row per report and period; filled by import or by hand.
CREATE TABLE report_receipt (
    programme_id VARCHAR NOT NULL,
    report       VARCHAR NOT NULL,          -- e.g. 加装报警器确认表
    period       VARCHAR NOT NULL,          -- 'YYYY-MM'
    received_on  DATE NOT NULL,
    received_by  VARCHAR,
    note         VARCHAR,
    recorded_at  TIMESTAMP,
    PRIMARY KEY (programme_id, report, period)
);

-- Batch status changes as append-only events (sent to the gas company, confirmed back), so
-- "sent but not confirmed" can be re-shown as of any date. Batch planning writes these.
CREATE TABLE batch_event (
    batch_id     VARCHAR NOT NULL,
    programme_id VARCHAR NOT NULL,
    street_id    VARCHAR,
    month        VARCHAR,                   -- 'YYYY-MM' the batch is planned for
    households   INTEGER,
    event        VARCHAR NOT NULL CHECK (event IN ('sent', 'confirmed', 'withdrawn')),
    event_on     DATE NOT NULL,
    actor        VARCHAR,
    recorded_at  TIMESTAMP
);
