-- name: settlement_unsettled_page — one page of a period's unsettled installations (the rows of settlement_installations that data/money/settlement.py::compute leaves out, same columns, same order), cut in SQL; total_rows is the whole list's length.
-- params: $programme_id, $start (DATE), $end (DATE, exclusive), $street_ids (VARCHAR[] or NULL = all streets), $accepted_only (BOOLEAN: months not accepted stay out), $checked_only (BOOLEAN: months whose sample is not fully checked stay out), $limit (INTEGER), $offset (INTEGER)
-- The columns of settlement_installations.sql, and the rule to settlement_totals.sql (a
-- test compares every page with compute's list). The reason is worded by data/money/settlement.py.
WITH candidates AS (
    -- without $accepted_only or $checked_only, only lines with a reason of their own: the
    -- household is read for those only
    SELECT i.*, lc.result AS check_result, lc.checked_on, lc.failed_items,
           o.reason AS opt_out_reason, d.name AS device_name,
           CAST(d.unit_price_cny AS VARCHAR) AS unit_price_cny
    FROM installation i
    LEFT JOIN device_type d ON d.programme_id = i.programme_id AND d.device_type = i.device_type
    LEFT JOIN latest_spot_check($programme_id) lc ON lc.household_id = i.household_id
    LEFT JOIN household_opt_out o ON o.programme_id = i.programme_id AND o.household_id = i.household_id
    WHERE i.programme_id = $programme_id
      AND i.verified_on >= CAST($start AS DATE) AND i.verified_on < CAST($end AS DATE)
      AND ($accepted_only OR $checked_only OR o.reason IS NOT NULL OR coalesce(lc.result = '不合格', false)
           OR d.unit_price_cny IS NULL)
), lines AS (
    SELECT i.household_id, h.street_id, coalesce(st.name, '未归属街道') AS street_name,
           h.community_id, co.name AS community_name, i.device_type, i.device_name,
           i.unit_price_cny, i.installed_on, i.verified_on,
           strftime(i.verified_on, '%Y-%m') AS month,
           i.check_result, i.checked_on, i.failed_items,
           i.opt_out_reason, coalesce(acc.event, '') AS acceptance,
           strftime(coalesce(i.installed_on, i.verified_on), '%Y-%m') AS sample_month,
           dm.month IS NOT NULL AS drawn, coalesce(g.sampled, 0) AS sampled,
           coalesce(g.checked, 0) AS sample_checked
    FROM candidates i
    JOIN household h ON h.programme_id = i.programme_id AND h.household_id = i.household_id
    LEFT JOIN region st ON st.region_id = h.street_id
    LEFT JOIN region co ON co.region_id = h.community_id
    LEFT JOIN latest_acceptance($programme_id) acc
        ON acc.street_id = h.street_id AND acc.month = strftime(i.verified_on, '%Y-%m')
    LEFT JOIN spot_check_gate($programme_id) g
        ON g.street_id IS NOT DISTINCT FROM h.street_id
       AND g.month = strftime(coalesce(i.installed_on, i.verified_on), '%Y-%m')
    LEFT JOIN spot_check_drawn($programme_id) dm
        ON dm.month = strftime(coalesce(i.installed_on, i.verified_on), '%Y-%m')
    WHERE $street_ids IS NULL OR list_contains($street_ids, h.street_id)
), unsettled AS (
    SELECT * FROM lines
    WHERE opt_out_reason IS NOT NULL OR coalesce(check_result = '不合格', false)
       OR unit_price_cny IS NULL OR ($accepted_only AND acceptance <> 'accepted')
       OR ($checked_only AND sample_checked < greatest(sampled, 1))
), counted AS (
    SELECT count(*) AS total_rows FROM unsettled
)
-- The row count is its own aggregate, not count(*) OVER (): DuckDB's window operator
-- without PARTITION/ORDER races under load behind an outer join (docs/upstream-duckdb-window-race.md).
SELECT unsettled.*, counted.total_rows
FROM unsettled, counted
ORDER BY street_name, household_id, device_type
LIMIT $limit OFFSET $offset;
