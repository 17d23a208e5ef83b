-- name: fire_risk_communities — each community with households in the stored scores as of a date: its households, the sum of their scores (Gi* by community), and the street of its first household.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- The page's community choices and data.firerisk.fire_risk.find_hotspots' units at level 'community';
-- street_id / street_name are those of the community's first household by number.
WITH p AS (
    SELECT s.community_id, count(*) AS households, fsum(s.risk_score) AS total_value,
           arg_min_null(s.street_id, s.household_id) AS street_id
    FROM fire_risk_score s
    WHERE s.programme_id = $programme_id
      AND s.valid_from <= $as_of::DATE AND $as_of::DATE < s.valid_until
      AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id))
      AND s.community_id IS NOT NULL
    GROUP BY s.community_id
)
SELECT p.street_id, p.community_id, c.name AS community_name, st.name AS street_name,
       p.households, p.total_value
FROM p
LEFT JOIN region c ON c.region_id = p.community_id
LEFT JOIN region st ON st.region_id = p.street_id
ORDER BY p.community_id;
