-- name: reconciliation_households — a month's installations in Anju against the gas company's confirmation table, household by household.
-- params: $programme_id, $period (VARCHAR 'YYYY-MM'), $month_start (DATE), $month_end (DATE, exclusive), $street_ids (VARCHAR[] or NULL = all streets)
-- 确认未录入: confirmed by the gas company but no installation of that month in Anju (the date
-- Anju holds, if any, is shown). 录入未确认: installed that month in Anju, not on the table.
-- Only months for which the table lists households are compared household by household.
WITH conf AS (
    SELECT household_id, min(confirmed_on) AS confirmed_on FROM gas_confirmation
    WHERE programme_id = $programme_id AND period = $period AND household_id <> ''
    GROUP BY ALL
), inst AS (
    SELECT household_id, min(installed_on) AS installed_on FROM installation
    WHERE programme_id = $programme_id
    GROUP BY ALL
), month_inst AS (
    SELECT household_id, installed_on FROM inst
    WHERE installed_on >= CAST($month_start AS DATE) AND installed_on < CAST($month_end AS DATE)
), diff AS (
    SELECT conf.household_id, '确认未录入' AS difference, conf.confirmed_on, inst.installed_on
    FROM conf
    LEFT JOIN month_inst m USING (household_id)
    LEFT JOIN inst USING (household_id)
    WHERE m.household_id IS NULL
    UNION ALL
    SELECT m.household_id, '录入未确认', NULL, m.installed_on
    FROM month_inst m
    WHERE EXISTS (SELECT 1 FROM conf) AND m.household_id NOT IN (SELECT household_id FROM conf)
)
SELECT diff.household_id, h.street_id, coalesce(st.name, '未归属街道') AS street_name,
       h.name, h.address, diff.difference, diff.confirmed_on, diff.installed_on
FROM diff
JOIN household h ON h.programme_id = $programme_id AND h.household_id = diff.household_id
LEFT JOIN region st ON st.region_id = h.street_id
WHERE $street_ids IS NULL OR list_contains($street_ids, h.street_id)
ORDER BY diff.difference, street_name, diff.household_id;
