-- name: batch_list — a programme's installation batches in the user's streets, newest month first, with planned and done counts.
-- params: $programme_id, $street_ids (VARCHAR[] or NULL = all streets)
-- done: items whose household has an installation (done_on stored, or found in installation).
WITH inst AS (
    SELECT household_id, min(installed_on) AS installed_on
    FROM installation WHERE programme_id = $programme_id GROUP BY household_id
)
SELECT b.batch_id, b.street_id, s.name AS street_name, b.month, b.crews, b.per_day, b.status,
       b.revision, b.travel_km, b.naive_km, b.created_by, b.created_at, b.sent_by, b.sent_at,
       b.confirmed_by, b.confirmed_at, CAST(b.rules AS VARCHAR) AS rules,
       count(bi.household_id) FILTER (WHERE bi.removed_at IS NULL) AS planned,
       count(bi.household_id) FILTER (
           WHERE bi.removed_at IS NULL AND coalesce(bi.done_on, inst.installed_on) IS NOT NULL
       ) AS done
FROM batch b
LEFT JOIN region s ON s.region_id = b.street_id
LEFT JOIN batch_item bi USING (batch_id)
LEFT JOIN inst ON inst.household_id = bi.household_id
WHERE b.programme_id = $programme_id
  AND ($street_ids IS NULL OR list_contains($street_ids, b.street_id))
GROUP BY ALL
ORDER BY b.month DESC, b.batch_id DESC;
