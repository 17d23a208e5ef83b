-- name: overdue_reports — monthly reports not received by their due day (programme.report_day) as of a date: missing or late.
-- params: $programme_id, $as_of (DATE), $report (VARCHAR)
-- One period per month of the programme (seed 000: 每月25日前报送) whose due date has passed.
-- District-level: no street scope. A programme without a report_day expects no reports.
WITH p AS (
    SELECT report_day, starts AS first_day, ends AS last_day
    FROM programme
    WHERE programme_id = $programme_id AND report_day IS NOT NULL
), periods AS (
    SELECT strftime(CAST(m AS DATE), '%Y-%m') AS period,
           make_date(year(m), month(m), least(p.report_day, day(last_day(CAST(m AS DATE))))) AS due_on
    FROM p, generate_series(date_trunc('month', p.first_day), date_trunc('month', p.last_day),
                            INTERVAL 1 MONTH) AS g(m)
), got AS (
    SELECT period, received_on FROM report_receipt
    WHERE programme_id = $programme_id AND report = $report
      AND received_on <= CAST($as_of AS DATE) AND known_by(recorded_at, received_on, $as_of)
)
SELECT $report AS report, periods.period, periods.due_on, got.received_on,
       CASE WHEN got.received_on IS NULL THEN 'missing' ELSE 'late' END AS status,
       date_diff('day', periods.due_on, coalesce(got.received_on, CAST($as_of AS DATE)))
           AS days_late
FROM periods LEFT JOIN got USING (period)
WHERE periods.due_on < CAST($as_of AS DATE)
  AND (got.received_on IS NULL OR got.received_on > periods.due_on)
ORDER BY periods.period;
