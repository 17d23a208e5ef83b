-- name: fire_risk_cell_gaps — households scored as of a date that the small-area (H3) map leaves out, and why: no point (placed by community only, or not even that) or a point only to their road.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets)
-- A household without H3 cells (household_cell: building and estate points only) is not in
-- fire_risk_cells; it still counts in the community Gi* (fire_risk_communities, by community_id).
SELECT count(*) AS left_out,
       count(*) FILTER (WHERE h.loc_level = 'road' AND h.lon IS NOT NULL) AS road,
       count(*) FILTER (WHERE h.lon IS NULL OR h.lat IS NULL) AS no_point,
       count(*) FILTER (WHERE (h.lon IS NULL OR h.lat IS NULL) AND s.community_id IS NOT NULL)
           AS community_only
FROM fire_risk_score s
JOIN household h USING (programme_id, household_id)
WHERE s.programme_id = $programme_id
  AND s.valid_from <= $as_of::DATE AND $as_of::DATE < s.valid_until
  AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id))
  AND s.h3_r4 IS NULL;
