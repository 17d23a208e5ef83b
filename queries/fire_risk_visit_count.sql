-- name: fire_risk_visit_count — how many households the visit list holds, and their mean stored score, as of a date.
-- params: $programme_id, $as_of, $street_ids, $street, $community, $search
-- $as_of (DATE), $street_ids (VARCHAR[] or NULL), $street, $community
--   (VARCHAR or NULL = all), $search ('' = all: part of the household number)
SELECT count(*) AS households, avg(s.risk_score) AS mean_score
FROM fire_risk_score s
WHERE s.programme_id = $programme_id
  AND s.valid_from <= $as_of::DATE AND $as_of::DATE < s.valid_until
  AND ($street_ids IS NULL OR list_contains($street_ids, s.street_id))
  AND ($street IS NULL OR s.street_id = $street)
  AND ($community IS NULL OR s.community_id = $community)
  AND (coalesce($search, '') = '' OR contains(s.household_id, $search));
