-- name: bulletin_issues — the published 周通报 (第N期) of a programme, newest first.
-- params: $programme_id
SELECT issue_no, as_of, known_at, published_at, published_by, summary, kpis
FROM bulletin_issue
WHERE programme_id = $programme_id
ORDER BY issue_no DESC;
