-- Report receipts (data/money/reconciliation.py): which monthly reports the district received.

-- name: receipt_exists — whether the month's report is already recorded as received.
SELECT 1 FROM report_receipt
WHERE programme_id = $programme_id AND report = $report AND period = $period;

-- name: insert_receipt — a report received: when, by whom, with a note.
INSERT INTO report_receipt VALUES ($programme_id, $report, $period, $received_on, $received_by,
    $note, $recorded_at);
