-- name: settlement_residents_page — one page of a period's resident shares per household (what data/settlement.py::compute lists under residents, same order), with what the community collected; total_rows is the whole list's length.
-- params: $programme_id, $start (DATE), $end (DATE, exclusive), $street_ids (VARCHAR[] or NULL = all streets), $accepted_only (BOOLEAN), $items (VARCHAR[]: the cost items the resident pays a share of), $num (BIGINT[]), $den (BIGINT[]: that share as num/den, item by item), $limit (INTEGER), $offset (INTEGER)
-- The settled lines and their cost item as in settlement_totals.sql (a test compares the pages
-- with compute). Each line's share is rounded half up to the fen on its own, in integer fen:
-- floor((2 × price_fen × num + den) / (2 × den)); a household owes the sum of its lines.
WITH latest_check AS (
    SELECT household_id, result
    FROM spot_check_result
    WHERE programme_id = $programme_id
    QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY checked_on DESC) = 1
), acc AS (
    SELECT street_id, month, event
    FROM acceptance_event
    WHERE programme_id = $programme_id
    QUALIFY row_number() OVER (PARTITION BY street_id, month ORDER BY event_id DESC) = 1
), shared AS (
    SELECT DISTINCT item FROM cost_share WHERE programme_id = $programme_id
), lines AS (
    SELECT i.household_id, CAST(d.unit_price_cny * 100 AS BIGINT) AS price_fen,
           CASE WHEN i.device_type IN (SELECT item FROM shared) THEN nullif(i.device_type, 'device')
                ELSE 'device' END AS item
    FROM installation i
    JOIN household h ON h.household_id = i.household_id
    LEFT JOIN device_type d ON d.programme_id = i.programme_id AND d.device_type = i.device_type
    LEFT JOIN latest_check lc ON lc.household_id = i.household_id
    LEFT JOIN household_opt_out o ON o.programme_id = i.programme_id AND o.household_id = i.household_id
    LEFT JOIN acc ON acc.street_id = h.street_id AND acc.month = strftime(i.verified_on, '%Y-%m')
    WHERE i.programme_id = $programme_id AND h.programme_id = $programme_id
      AND i.verified_on >= CAST($start AS DATE) AND i.verified_on < CAST($end AS DATE)
      AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
      AND NOT (o.reason IS NOT NULL OR coalesce(lc.result = '不合格', false)
               OR d.unit_price_cny IS NULL
               OR ($accepted_only AND coalesce(acc.event, '') <> 'accepted'))
), owed AS (
    SELECT l.household_id,
           sum((2 * l.price_fen * $num[k] + $den[k]) // (2 * $den[k]))::BIGINT AS owed_fen
    FROM (SELECT *, list_position($items, item) AS k FROM lines) l
    WHERE k IS NOT NULL AND k > 0
    GROUP BY l.household_id
)
SELECT o.household_id, o.owed_fen, CAST(p.amount_cny AS VARCHAR) AS amount_cny,
       p.collected_on, p.collected_by, count(*) OVER () AS total_rows
FROM owed o
LEFT JOIN resident_payment p ON p.programme_id = $programme_id AND p.household_id = o.household_id
ORDER BY o.household_id
LIMIT $limit OFFSET $offset;
