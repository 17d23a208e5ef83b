-- name: overdue_gas_cuts_page — one page of overdue_gas_cuts (same rows, same order), cut in SQL; total_rows is the whole list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $cut_days (INTEGER), $restore_hours (INTEGER), $limit (INTEGER), $offset (INTEGER)
-- Keep the body equal to overdue_gas_cuts.sql (a test compares every page with it).
WITH cuts AS (
    SELECT z.*, h.street_id, h.community_id, h.name, h.address, h.phone,
           (z.gas_restored_on IS NULL OR z.gas_restored_on > CAST($as_of AS DATE)) AS in_force,
           CASE WHEN z.rectified_on <= CAST($as_of AS DATE) THEN z.rectified_on END AS fixed_on,
           CASE WHEN z.gas_restored_on <= CAST($as_of AS DATE) THEN z.gas_restored_on END AS back_on
    FROM hazard z
    JOIN household h ON h.programme_id = z.programme_id AND h.household_id = z.household_id
    WHERE z.programme_id = $programme_id AND z.gas_cut_on <= CAST($as_of AS DATE)
      AND known_by(z.recorded_at, z.found_on, $as_of)
      AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
), judged AS (
    SELECT *,
           date_diff('day', gas_cut_on, coalesce(back_on, CAST($as_of AS DATE))) AS days_cut,
           CASE WHEN fixed_on IS NOT NULL
                THEN date_diff('day', fixed_on, coalesce(back_on, CAST($as_of AS DATE))) * 24
           END AS hours_to_restore
    FROM cuts
)
SELECT j.hazard_id, j.household_id, j.street_id, st.name AS street_name,
       j.community_id, c.name AS community_name, j.name, j.address, j.phone,
       j.kind, j.found_on, j.gas_cut_on, j.fixed_on AS rectified_on, j.back_on AS gas_restored_on,
       j.in_force, j.days_cut, j.hours_to_restore,
       j.in_force AND j.days_cut > $cut_days              AS cut_too_long,
       coalesce(j.hours_to_restore > $restore_hours, false) AS restore_late,
       count(*) OVER () AS total_rows
FROM judged j
LEFT JOIN region st ON st.region_id = j.street_id
LEFT JOIN region c ON c.region_id = j.community_id
WHERE (j.in_force AND j.days_cut > $cut_days) OR j.hours_to_restore > $restore_hours
ORDER BY restore_late DESC, days_cut DESC, j.hazard_id
LIMIT $limit OFFSET $offset;
