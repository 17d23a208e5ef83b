-- name: spot_check_population — the households a month's spot check draws from, with street and installer.
-- params: $programme_id, $month_start (DATE), $month_end (DATE, exclusive), $scope (当月完工 | 当月确认单), $street_ids (VARCHAR[] or NULL = all streets)
-- 当月完工 (seed 000): installations completed in the month. 当月确认单 (seed 002): installations of
-- the month whose confirmation slip carries all four signatures (community, grid, installer, resident).
-- A household with several devices is one unit; its installer is the first one named.
SELECT i.household_id, h.street_id, coalesce(st.name, '未归属街道') AS street_name,
       min(nullif(trim(i.installer), '')) AS installer
FROM installation i
JOIN household h ON h.programme_id = i.programme_id AND h.household_id = i.household_id
LEFT JOIN region st ON st.region_id = h.street_id
WHERE i.programme_id = $programme_id
  AND i.installed_on >= CAST($month_start AS DATE) AND i.installed_on < CAST($month_end AS DATE)
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
  AND ($scope = '当月完工'
       OR (coalesce(i.signed_community, false) AND coalesce(i.signed_grid, false)
           AND coalesce(i.signed_installer, false) AND coalesce(i.signed_resident, false)))
GROUP BY ALL
ORDER BY street_name, h.street_id, installer NULLS LAST, i.household_id;
