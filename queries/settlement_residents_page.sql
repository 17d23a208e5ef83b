-- name: settlement_residents_page — one page of a period's resident shares per household (what data/money/settlement.py::compute lists under residents, same order), with what the community collected; total_rows is the whole list's length.
-- params: $programme_id, $start (DATE), $end (DATE, exclusive), $street_ids (VARCHAR[] or NULL = all streets), $accepted_only (BOOLEAN), $checked_only (BOOLEAN), $items (VARCHAR[]: the cost items the resident pays a share of), $num (BIGINT[]), $den (BIGINT[]: that share as num/den, item by item), $limit (INTEGER), $offset (INTEGER)
-- The settled lines and their cost item: settlement_lines (queries/derived/lists.sql), as in
-- settlement_totals.sql (a test compares the pages with compute). Each line's share is rounded half up to the fen on its own, in integer fen:
-- floor((2 × price_fen × num + den) / (2 × den)); a household owes the sum of its lines.
WITH lines AS (
    SELECT household_id, CAST(price * 100 AS BIGINT) AS price_fen, item
    FROM settlement_lines($programme_id, $start, $end, $street_ids, $accepted_only, $checked_only)
    WHERE settled
), owed AS (
    SELECT l.household_id,
           sum((2 * l.price_fen * $num[k] + $den[k]) // (2 * $den[k]))::BIGINT AS owed_fen
    FROM (SELECT *, list_position($items, item) AS k FROM lines) l
    WHERE k IS NOT NULL AND k > 0
    GROUP BY l.household_id
), listed AS (
    SELECT o.household_id, o.owed_fen, CAST(p.amount_cny AS VARCHAR) AS amount_cny,
           p.collected_on, p.collected_by
    FROM owed o
    LEFT JOIN resident_payment p ON p.programme_id = $programme_id AND p.household_id = o.household_id
), counted AS (
    SELECT count(*) AS total_rows FROM listed
)
-- The row count is its own aggregate, not count(*) OVER (): DuckDB's window operator
-- without PARTITION/ORDER races under load behind an outer join (docs/upstream-duckdb-window-race.md).
SELECT listed.*, counted.total_rows
FROM listed, counted
ORDER BY listed.household_id
LIMIT $limit OFFSET $offset;
