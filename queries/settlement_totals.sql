-- name: settlement_totals — a period's settlement counted in SQL: per cost item the settled lines, households and price sum; the settled and unsettled counts; the device types met; the unaccepted (street, month) pairs.
-- params: $programme_id, $start (DATE), $end (DATE, exclusive), $street_ids (VARCHAR[] or NULL = all streets), $accepted_only (BOOLEAN: months not accepted stay out)
-- The same lines and rules as settlement_installations + data/settlement.py::compute (a test
-- compares them): an installation is unsettled when its household opted out, its latest spot
-- check failed, its device type has no price, or ($accepted_only) its street's month is not
-- accepted. A settled line counts under the cost item named after its device type when the
-- programme shares such an item, else under 'device' (a device type literally named 'device'
-- and shared as such counts under none, as in compute). part: 'item' (one row per item),
-- 'all' (settled lines and households), 'unsettled', 'type' (each device type met, settled or
-- not), 'unaccepted' (street_name, month).
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
    -- h.rowid: one household row per (programme, household), counted as an integer
    SELECT h.rowid AS home, h.street_id, i.device_type, strftime(i.verified_on, '%Y-%m') AS month,
           d.unit_price_cny AS price,
           coalesce(acc.event, '') = 'accepted' AS accepted,
           NOT (o.reason IS NOT NULL OR coalesce(lc.result = '不合格', false)
                OR d.unit_price_cny IS NULL
                OR ($accepted_only AND coalesce(acc.event, '') <> 'accepted')) AS settled,
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
)
SELECT CASE WHEN NOT settled THEN 'unsettled' WHEN grouping(item) = 1 THEN 'all' ELSE 'item' END AS part,
       CASE WHEN grouping(item) = 0 THEN item END AS item, NULL AS street_name, NULL AS month,
       count(*) AS lines, count(DISTINCT home) AS households,
       CAST(sum(price) AS VARCHAR) AS amount_cny
FROM lines
GROUP BY GROUPING SETS ((settled, item), (settled))
HAVING settled OR grouping(item) = 1
UNION ALL
SELECT 'type', device_type, NULL, NULL, count(*), NULL, NULL FROM lines GROUP BY ALL
UNION ALL
SELECT 'unaccepted', NULL, coalesce(st.name, '未归属街道'), l.month, count(*), NULL, NULL
FROM lines l LEFT JOIN region st ON st.region_id = l.street_id
WHERE NOT l.accepted
GROUP BY ALL
ORDER BY part, item, month, street_name;
