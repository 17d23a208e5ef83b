-- Weekly briefing and overdue lists: weekly milestones, report receipts, batch status events.

-- The first day each household counted as surveyed / installed / verified in the bulletin of
-- that day, using only what was known by p_as_of. `x_on <= W` for any W <= p_as_of gives exactly
-- household_status(p, W).x, so a weekly series needs one pass instead of one query per week.
CREATE MACRO household_milestones(p_programme_id, p_as_of) AS TABLE
WITH inst AS (
    SELECT household_id,
           min(greatest(installed_on, CAST(recorded_at AS DATE))) AS installed_on,
           min(CASE WHEN verified_on IS NOT NULL
                    THEN greatest(installed_on, CAST(recorded_at AS DATE), verified_on) END)
               AS verified_on
    FROM installation
    WHERE programme_id = p_programme_id AND installed_on <= p_as_of
      AND known_by(recorded_at, installed_on, p_as_of)
    GROUP BY household_id
), insp AS (
    SELECT household_id, min(greatest(visited_on, CAST(recorded_at AS DATE))) AS surveyed_on
    FROM inspection
    WHERE programme_id = p_programme_id AND visited_on <= p_as_of AND outcome <> 'not_home'
      AND known_by(recorded_at, visited_on, p_as_of)
    GROUP BY household_id
)
SELECT h.household_id, h.street_id, h.community_id,
       least(insp.surveyed_on, inst.installed_on) AS surveyed_on,
       inst.installed_on,
       CASE WHEN inst.verified_on <= p_as_of THEN inst.verified_on END AS verified_on
FROM household h
LEFT JOIN insp USING (household_id)
LEFT JOIN inst USING (household_id)
WHERE h.programme_id = p_programme_id;

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
