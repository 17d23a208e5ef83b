-- Statements of data/fieldwork/care.py (seed 004's training, equipment and publicity counts).

-- name: insert — One count as entered (the household's scope is checked before).
INSERT INTO care_count (programme_id, household_id, kind, done_on, quantity, recorded_at, recorded_by, source_import_id)
VALUES ($programme_id, $household_id, $kind, $done_on, $quantity, $now, $username, $source);

-- name: totals — The household's counts: training and publicity in all, equipment held, and the last date of each.
SELECT kind, sum(quantity) AS quantity, max(done_on) AS last_on
FROM care_count
WHERE programme_id = $programme_id AND household_id = $household_id AND withdrawn_at IS NULL
GROUP BY kind
ORDER BY kind;
