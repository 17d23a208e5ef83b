-- name: settlement_totals — a period's settlement counted in SQL: per cost item the settled lines, households and price sum; the settled and unsettled counts; the device types met; the unaccepted (street, month) pairs.
-- params: $programme_id, $start (DATE), $end (DATE, exclusive), $street_ids (VARCHAR[] or NULL = all streets), $accepted_only (BOOLEAN: months not accepted stay out), $checked_only (BOOLEAN: months whose spot-check sample is not drawn or not fully checked stay out)
-- The lines and the rule: settlement_lines (queries/derived/lists.sql), the same as
-- settlement_installations + data/money/settlement.py::compute (a test compares them). part: 'item'
-- (one row per item), 'all' (settled lines and households), 'unsettled', 'type' (each device type met, settled or
-- not), 'unaccepted' (street_name, month), 'unchecked' (street_name, sample month, drawn, sampled,
-- sample_checked: the street-months whose sample is not drawn or not fully checked).
WITH lines AS (
    SELECT * FROM settlement_lines($programme_id, $start, $end, $street_ids, $accepted_only, $checked_only)
)
SELECT CASE WHEN NOT settled THEN 'unsettled' WHEN grouping(item) = 1 THEN 'all' ELSE 'item' END AS part,
       CASE WHEN grouping(item) = 0 THEN item END AS item, NULL AS street_name, NULL AS month,
       count(*) AS lines, count(DISTINCT home) AS households,
       CAST(sum(price) AS VARCHAR) AS amount_cny,
       NULL::BOOLEAN AS drawn, NULL::BIGINT AS sampled, NULL::BIGINT AS sample_checked
FROM lines
GROUP BY GROUPING SETS ((settled, item), (settled))
HAVING settled OR grouping(item) = 1
UNION ALL
SELECT 'type', device_type, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL
FROM lines GROUP BY ALL
UNION ALL
SELECT 'unaccepted', NULL, coalesce(st.name, '未归属街道'), l.month, count(*), NULL, NULL,
       NULL, NULL, NULL
FROM lines l LEFT JOIN region st ON st.region_id = l.street_id
WHERE NOT l.accepted
GROUP BY ALL
UNION ALL
SELECT 'unchecked', NULL, coalesce(st.name, '未归属街道'), l.sample_month, count(*), NULL, NULL,
       l.drawn, l.sampled, l.sample_checked
FROM lines l LEFT JOIN region st ON st.region_id = l.street_id
WHERE NOT l.checked
GROUP BY ALL
ORDER BY part, item, month, street_name;
