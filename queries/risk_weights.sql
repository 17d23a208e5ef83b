-- name: risk_weights — a programme's fire-risk weight defaults (template) and every later edit, in order.
-- params: $programme_id
-- One row: the registry rule (has_registry, min_age, alone_only); defaults is the template's [risk_weights] as JSON (NULL if it has none); changes lists
-- the edits oldest first (data.firerisk.risk applies them in order, so the latest per factor wins).
SELECT p.programme_id,
       json_extract(p.settings, '$.risk_weights')::VARCHAR AS defaults,
       json_extract_string(p.settings, '$.rules.visit_overdue_days') AS visit_overdue_days,
       -- Who the registry holds (fire_risk_config decides the same from the same settings).
       json_extract(p.settings, '$.eligibility') IS NOT NULL
           OR coalesce(TRY_CAST(json_extract_string(p.settings, '$.registry') AS BOOLEAN), false)
           AS has_registry,
       TRY_CAST(json_extract_string(p.settings, '$.eligibility.min_age') AS INTEGER) AS min_age,
       coalesce(TRY_CAST(json_extract_string(p.settings, '$.eligibility.lives_alone') AS BOOLEAN),
                false) AS alone_only,
       (SELECT list({'factor': w.factor, 'weight': w.weight, 'changed_by': w.changed_by,
                     'changed_at': w.changed_at} ORDER BY w.change_id)
        FROM risk_weight w WHERE w.programme_id = p.programme_id) AS changes
FROM programme p
WHERE p.programme_id = $programme_id;
