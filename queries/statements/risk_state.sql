-- Stored fire-risk scores (data/firerisk/risk_state.py): the one write path and its check.

-- name: clear — Delete the score spans of a programme (NULL: all), of some households (NULL: all).
DELETE FROM fire_risk_score
WHERE ($programme_id IS NULL OR programme_id = $programme_id)
  AND ($household_ids IS NULL OR household_id IN (SELECT unnest($household_ids)));

-- name: fill — Insert the recomputed score spans of a programme (NULL: all), of some households (NULL: all).
INSERT INTO fire_risk_score
SELECT * FROM fire_risk_compute($programme_id, p_household_ids := $household_ids);

-- name: stamp — Record a refresh: the hotspot cache of the programme is keyed by the latest serial.
INSERT INTO fire_risk_refresh (programme_id) VALUES ($programme_id);

-- name: version — (weights version in force, latest refresh serial) of a programme.
SELECT (SELECT weights_version FROM fire_risk_config($programme_id)),
       (SELECT coalesce(max(serial), 0) FROM fire_risk_refresh
        WHERE programme_id = $programme_id OR programme_id IS NULL);

-- name: recompute — Recompute every programme's score spans into a temporary table for the check.
CREATE OR REPLACE TEMP TABLE _anju_fire_check AS SELECT * FROM fire_risk_compute(NULL);

-- name: diff_count — How many rows differ between the stored spans and the recomputation.
WITH stored AS (SELECT * FROM fire_risk_score EXCEPT ALL SELECT * FROM _anju_fire_check),
fresh AS (SELECT * FROM _anju_fire_check EXCEPT ALL SELECT * FROM fire_risk_score)
SELECT (SELECT count(*) FROM stored) + (SELECT count(*) FROM fresh);

-- name: diff_rows — The first $limit differing rows, stored ('已存') and recomputed ('重算').
WITH stored AS (SELECT * FROM fire_risk_score EXCEPT ALL SELECT * FROM _anju_fire_check),
fresh AS (SELECT * FROM _anju_fire_check EXCEPT ALL SELECT * FROM fire_risk_score),
diff AS (
    SELECT '已存' AS side, * FROM stored UNION ALL BY NAME SELECT '重算' AS side, * FROM fresh
)
SELECT programme_id, household_id, side, valid_from, valid_until, risk_score, weights_version
FROM diff
ORDER BY programme_id, household_id, valid_from, side
LIMIT $limit;

-- name: drop_check — Drop the check's temporary table.
DROP TABLE IF EXISTS _anju_fire_check;
