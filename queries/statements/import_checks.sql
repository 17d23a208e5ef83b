-- Spot-check and gas-confirmation imports (data/importing/checks.py).

-- name: streets — every street, to match a confirmation row's 街道.
SELECT region_id, name FROM region WHERE level = 'street';

-- name: record_receipts — a report_receipt for each confirmed month that has none; returns the months.
INSERT INTO report_receipt (programme_id, report, period, received_on, received_by, note,
    recorded_at)
SELECT $programme_id, $report, period, min(coalesce(confirmed_on, CAST(recorded_at AS DATE))),
       '燃气公司确认表导入', '由确认表导入记录', $recorded_at
FROM gas_confirmation g
WHERE programme_id = $programme_id AND NOT EXISTS (
    SELECT 1 FROM report_receipt r
    WHERE r.programme_id = g.programme_id AND r.report = $report AND r.period = g.period)
GROUP BY period
RETURNING period;
