-- name: settlement_installations — installations verified (验收) in a period, with price, latest spot-check result, opt-out and acceptance.
-- params: $programme_id, $start (DATE), $end (DATE, exclusive), $street_ids (VARCHAR[] or NULL = all streets)
-- The verification date recorded on the installation decides the period. The
-- latest spot-check result decides: 不合格 stays out until a later 合格 re-check. Acceptance is
-- the latest event of the household's street for the verification month. The spot-check gate
-- (spot_check_gate) is the street's sample for the month the installation was done.
SELECT i.household_id, h.street_id, coalesce(st.name, '未归属街道') AS street_name,
       h.community_id, co.name AS community_name, i.device_type, d.name AS device_name,
       CAST(d.unit_price_cny AS VARCHAR) AS unit_price_cny, i.installed_on, i.verified_on,
       strftime(i.verified_on, '%Y-%m') AS month,
       lc.result AS check_result, lc.checked_on, lc.failed_items,
       o.reason AS opt_out_reason, coalesce(acc.event, '') AS acceptance,
       strftime(coalesce(i.installed_on, i.verified_on), '%Y-%m') AS sample_month,
       dm.month IS NOT NULL AS drawn, coalesce(g.sampled, 0) AS sampled,
       coalesce(g.checked, 0) AS sample_checked
FROM installation i
JOIN household h ON h.programme_id = i.programme_id AND h.household_id = i.household_id
LEFT JOIN device_type d ON d.programme_id = i.programme_id AND d.device_type = i.device_type
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region co ON co.region_id = h.community_id
LEFT JOIN latest_spot_check($programme_id) lc ON lc.household_id = i.household_id
LEFT JOIN household_opt_out o ON o.programme_id = i.programme_id AND o.household_id = i.household_id
LEFT JOIN latest_acceptance($programme_id) acc
    ON acc.street_id = h.street_id AND acc.month = strftime(i.verified_on, '%Y-%m')
LEFT JOIN spot_check_gate($programme_id) g
    ON g.street_id IS NOT DISTINCT FROM h.street_id
   AND g.month = strftime(coalesce(i.installed_on, i.verified_on), '%Y-%m')
LEFT JOIN spot_check_drawn($programme_id) dm
    ON dm.month = strftime(coalesce(i.installed_on, i.verified_on), '%Y-%m')
WHERE i.programme_id = $programme_id
  AND i.verified_on >= CAST($start AS DATE) AND i.verified_on < CAST($end AS DATE)
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY street_name, i.household_id, i.device_type;
