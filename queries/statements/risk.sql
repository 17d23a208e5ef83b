-- name: weight_set — record a new fire-risk weight for one factor (append-only: the latest row wins).
INSERT INTO risk_weight (programme_id, factor, weight, changed_by)
VALUES ($programme_id, $factor, $weight, $changed_by);
