-- name: resident_payments — resident shares collected by the community (seed 002 七), per household.
-- params: $programme_id, $street_ids (VARCHAR[] or NULL = all streets)
SELECT p.household_id, CAST(p.amount_cny AS VARCHAR) AS amount_cny, p.collected_on, p.collected_by
FROM resident_payment p
JOIN household h ON h.programme_id = p.programme_id AND h.household_id = p.household_id
WHERE p.programme_id = $programme_id
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id));
