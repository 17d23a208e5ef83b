-- name: fire_risk_cells — Gi*'s input per H3 cell: households placed in it, the sum of their stored scores, and the community and street most of them belong to, as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $resolution (4–11)
-- Households of fire_risk_points with a point, in the cell their span carries (household_cell)
-- at $resolution: data.firerisk.fire_risk.find_hotspots turns the rows into Gi* units.
-- The name is the community name most of the cell's households (with a community and a
-- street name) carry, the street likewise, a tie going to the name whose first household
-- number comes first.
-- One scan: the cell totals and the per-(cell, street, community) counts are two grouping sets.
WITH g AS (
    SELECT CASE $resolution::INTEGER
               WHEN 4 THEN s.h3_r4 WHEN 5 THEN s.h3_r5 WHEN 6 THEN s.h3_r6
               WHEN 7 THEN s.h3_r7 WHEN 8 THEN s.h3_r8 WHEN 9 THEN s.h3_r9
               WHEN 10 THEN s.h3_r10 WHEN 11 THEN s.h3_r11 END AS cell,
           s.street_id, s.community_id, grouping(s.street_id) AS whole,
           count(*) AS n, fsum(s.risk_score) AS total_value, min(s.household_id) AS first_id
    FROM fire_risk_score s
    WHERE s.programme_id = $programme_id
      AND s.valid_from <= $as_of::DATE AND $as_of::DATE < s.valid_until
      AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id))
      AND s.h3_r4 IS NOT NULL
    GROUP BY GROUPING SETS ((cell), (cell, s.street_id, s.community_id))
), totals AS (
    SELECT cell, n AS households, total_value FROM g WHERE whole = 1
), places AS (
    SELECT p.cell, c.name AS community_name, st.name AS street_name, p.n, p.first_id
    FROM g p
    JOIN region c ON c.region_id = p.community_id
    JOIN region st ON st.region_id = p.street_id
    WHERE p.whole = 0 AND c.name IS NOT NULL AND st.name IS NOT NULL
), community AS (
    SELECT cell, arg_min(community_name, (-n, first_id)) AS community_name
    FROM (SELECT cell, community_name, sum(n) AS n, min(first_id) AS first_id
          FROM places GROUP BY cell, community_name)
    GROUP BY cell
), street AS (
    SELECT cell, arg_min(street_name, (-n, first_id)) AS street_name
    FROM (SELECT cell, street_name, sum(n) AS n, min(first_id) AS first_id
          FROM places GROUP BY cell, street_name)
    GROUP BY cell
)
SELECT t.cell, t.households, t.total_value, m.community_name, r.street_name
FROM totals t
LEFT JOIN community m USING (cell)
LEFT JOIN street r USING (cell)
ORDER BY t.cell;
