-- name: sector_progress — registered and installed users of each user class (seed 001: residential and each non-residential sector), as of a date.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = whole district)
SELECT user_class AS sector, count(*) AS registered,
       count(*) FILTER (WHERE installed) AS installed
FROM household_status($programme_id, $as_of::DATE)
WHERE ($street_ids IS NULL OR list_contains($street_ids, street_id))
GROUP BY user_class
ORDER BY user_class;
