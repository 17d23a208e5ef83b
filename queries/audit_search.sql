-- name: audit_search — audit entries matching optional filters, newest first.
-- params: $actor (text or NULL), $action (text or NULL), $text (text or NULL), $date_from (DATE), $date_to (DATE), $limit
-- $text matches the object or the detail JSON as plain text (bound, never pasted into SQL).
-- $limit NULL: every match (the export). total: how many match, whatever $limit cuts off.
-- The count is its own aggregate, not count(*) OVER () (docs/upstream-duckdb-window-race.md).
WITH matching AS (
    SELECT audit_id, logged_at, actor, action, object, CAST(detail AS VARCHAR) AS detail
    FROM audit_log
    WHERE ($actor IS NULL OR actor = $actor)
      AND ($action IS NULL OR action = $action)
      AND ($text IS NULL OR contains(coalesce(object, '') || ' ' || CAST(detail AS VARCHAR), $text))
      AND CAST(logged_at AS DATE) BETWEEN $date_from::DATE AND $date_to::DATE
), counted AS (
    SELECT count(*) AS total FROM matching
)
SELECT matching.*, counted.total
FROM matching, counted
ORDER BY audit_id DESC
LIMIT $limit;
