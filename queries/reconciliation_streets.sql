-- name: reconciliation_streets — per street, a month's households confirmed by the gas company vs installed in Anju.
-- params: $programme_id, $period (VARCHAR 'YYYY-MM'), $month_start (DATE), $month_end (DATE, exclusive), $street_ids (VARCHAR[] or NULL = all streets)
-- A street's confirmed count is its per-street row if the table has one, else its household rows.
WITH per_street AS (
    SELECT street_id, sum(confirmed_count) AS n FROM gas_confirmation
    WHERE programme_id = $programme_id AND period = $period AND household_id = ''
    GROUP BY ALL
), per_home AS (
    SELECT street_id, count(*) AS n FROM gas_confirmation
    WHERE programme_id = $programme_id AND period = $period AND household_id <> ''
    GROUP BY ALL
), recorded AS (
    SELECT h.street_id, count(DISTINCT i.household_id) AS n
    FROM installation i
    JOIN household h ON h.programme_id = i.programme_id AND h.household_id = i.household_id
    WHERE i.programme_id = $programme_id
      AND i.installed_on >= CAST($month_start AS DATE) AND i.installed_on < CAST($month_end AS DATE)
    GROUP BY ALL
)
SELECT r.region_id AS street_id, r.name AS street_name,
       coalesce(ps.n, ph.n) AS confirmed, coalesce(rec.n, 0) AS recorded,
       coalesce(rec.n, 0) - coalesce(ps.n, ph.n) AS difference
FROM region r
LEFT JOIN per_street ps ON ps.street_id = r.region_id
LEFT JOIN per_home ph ON ph.street_id = r.region_id
LEFT JOIN recorded rec ON rec.street_id = r.region_id
WHERE r.level = 'street'
  AND ($street_ids IS NULL OR list_contains($street_ids, r.region_id))
  AND r.region_id IN (SELECT DISTINCT street_id FROM household WHERE programme_id = $programme_id)
ORDER BY r.name;
