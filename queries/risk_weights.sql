-- name: risk_weights — a programme's fire-risk weight defaults (template) and every later edit, in order.
-- params: $programme_id
-- One row: defaults is the template's [risk_weights] as JSON (NULL if it has none); changes lists
-- the edits oldest first (data.firerisk.risk applies them in order, so the latest per factor wins).
SELECT p.programme_id,
       json_extract(p.settings, '$.risk_weights')::VARCHAR AS defaults,
       json_extract_string(p.settings, '$.rules.visit_overdue_days') AS visit_overdue_days,
       (SELECT list({'factor': w.factor, 'weight': w.weight, 'changed_by': w.changed_by,
                     'changed_at': w.changed_at} ORDER BY w.change_id)
        FROM risk_weight w WHERE w.programme_id = p.programme_id) AS changes
FROM programme p
WHERE p.programme_id = $programme_id;
