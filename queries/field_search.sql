-- name: field_search — households of the user's scope matching 户号, name, address or the phone's last four digits (入户登记).
-- params: $programme_id, $search (VARCHAR, already trimmed and bounded; NULL = the first 50 of the scope), $street_ids (VARCHAR[] or NULL = all streets)
-- An exact 户号 comes first; four digits also match the phone's last four; name and address
-- match anywhere (LIKE with the user's text escaped by the caller's bound value: contains()).
SELECT h.household_id, h.name, h.address, h.phone, h.street_id, st.name AS street_name,
       c.name AS community_name, h.lon, h.lat
FROM household h
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
WHERE h.programme_id = $programme_id
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
  AND ($search IS NULL OR h.household_id = $search
       OR contains(coalesce(h.name, ''), $search)
       OR contains(coalesce(h.address, ''), $search)
       OR (regexp_full_match($search, '[0-9]{4}')
           AND right(regexp_replace(coalesce(h.phone, ''), '[^0-9]', '', 'g'), 4) = $search))
ORDER BY coalesce(h.household_id <> $search, true), h.household_id
LIMIT 50;
