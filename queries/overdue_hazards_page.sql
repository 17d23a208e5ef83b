-- name: overdue_hazards_page — one page of overdue_hazards (same rows, same order), cut in SQL; total_rows is the whole list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $limit (INTEGER), $offset (INTEGER)
-- Keep the body equal to overdue_hazards.sql (a test compares every page with it).
SELECT z.hazard_id, z.household_id, h.street_id, st.name AS street_name,
       h.community_id, c.name AS community_name, h.name, h.address, h.phone,
       z.kind, z.found_on, z.due_on,
       date_diff('day', z.due_on, CAST($as_of AS DATE)) AS days_overdue,
       coalesce(z.gas_cut_on <= CAST($as_of AS DATE)
                AND (z.gas_restored_on IS NULL OR z.gas_restored_on > CAST($as_of AS DATE)),
                false) AS gas_cut,
       count(*) OVER () AS total_rows
FROM hazard z
JOIN household h ON h.programme_id = z.programme_id AND h.household_id = z.household_id
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
WHERE z.programme_id = $programme_id
  AND z.found_on <= CAST($as_of AS DATE) AND known_by(z.recorded_at, z.found_on, $as_of)
  AND (z.rectified_on IS NULL OR z.rectified_on > CAST($as_of AS DATE))
  AND z.due_on < CAST($as_of AS DATE)
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY days_overdue DESC, z.hazard_id
LIMIT $limit OFFSET $offset;
