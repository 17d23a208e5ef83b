-- Spot checks (data/money/spot_checks.py): the monthly draws, their samples, and the results
-- recorded for sampled households.

-- name: draw_count — how many draws a month already has for these streets ($street_ids NULL: any
-- draw of the month); a second needs a reason.
SELECT count(DISTINCT d.draw_id)
FROM spot_check_draw d
LEFT JOIN spot_check_sample s USING (draw_id)
WHERE d.programme_id = $programme_id AND d.month = $month
  AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id));

-- name: sample_streets — the streets a household was sampled in (any draw of the programme).
SELECT DISTINCT street_id FROM spot_check_sample
WHERE programme_id = $programme_id AND household_id = $household_id;

-- name: insert_draw — one draw: seed, rate, scope, population, who and why; returns its id.
INSERT INTO spot_check_draw (programme_id, month, seed, rate, scope, population,
    sample_size, drawn_by, drawn_at, reason)
VALUES ($programme_id, $month, $seed, $rate, $scope, $population,
    $sample_size, $drawn_by, $drawn_at, $reason)
RETURNING draw_id;

-- name: insert_sample — one sampled household of a draw.
INSERT INTO spot_check_sample VALUES ($draw_id, $programme_id, $household_id, $street_id, $installer);

-- name: draws — every draw of a programme, newest first.
SELECT draw_id, month, seed, rate, scope, population, sample_size, drawn_by, drawn_at, reason
FROM spot_check_draw WHERE programme_id = $programme_id ORDER BY draw_id DESC;

-- name: sampled — households in any draw of the programme.
SELECT DISTINCT household_id FROM spot_check_sample WHERE programme_id = $programme_id;

-- name: insert_result — one check (or re-check) of a sampled household.
INSERT INTO spot_check_result (programme_id, household_id, checked_on, result,
    failed_items, inspector, note, photos, recorded_by, recorded_at)
VALUES ($programme_id, $household_id, $checked_on, $result,
    $failed_items, $inspector, $note, $photos, $recorded_by, $recorded_at);

-- name: result_exists — whether the household's result of that day is already recorded.
SELECT 1 FROM spot_check_result
WHERE programme_id = $programme_id AND household_id = $household_id AND checked_on = $checked_on;

-- name: audited_draws — each draw's audit entry as it was logged (draw id, sample digest).
SELECT CAST(json_extract(detail, '$.draw_id') AS INTEGER) AS draw_id,
       json_extract_string(detail, '$.sample_digest') AS digest
FROM audit_log
WHERE action = 'spot_check_draw';

-- name: sample_rows — every sampled household of every draw, in digest order.
SELECT d.programme_id, d.month, s.draw_id, s.household_id, s.street_id, s.installer
FROM spot_check_sample s
JOIN spot_check_draw d USING (draw_id)
ORDER BY s.draw_id, s.household_id;
