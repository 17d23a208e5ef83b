-- name: sector_progress — seed 001: each non-residential sector's registered and installed users, as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = whole district)
SELECT user_class AS sector, count(*) AS registered,
       count(*) FILTER (WHERE installed) AS installed
FROM household_status($programme_id, $as_of::DATE)
WHERE user_class <> 'residential'
  AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
GROUP BY user_class
ORDER BY user_class;
