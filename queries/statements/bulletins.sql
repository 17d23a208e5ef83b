-- Bulletins (data/reporting/bulletins.py): each issued 简报 kept as issued, numbered per programme.

-- name: next_issue_no — the number the programme's next issue takes (第N期).
SELECT coalesce(max(issue_no), 0) + 1 FROM bulletin_issue WHERE programme_id = $programme_id;

-- name: insert_issue — one issue: its statistics day, knowledge time, who, summary and KPIs.
INSERT INTO bulletin_issue VALUES ($programme_id, $issue_no, $as_of, $known_at, $published_at,
    $published_by, $summary, $kpis);
