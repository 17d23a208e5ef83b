-- Finance rules (data/money/finance_rules.py): a programme's settlement and spot-check rules.

-- name: programme — the programme's name, spot-check rate, report day and settings (text).
SELECT name, spot_check_rate, report_day, CAST(settings AS VARCHAR) FROM programme
WHERE programme_id = $programme_id;
