-- Household imports (data/importing/households.py): the district's streets and communities a
-- household is placed in, and the households already stored.

-- name: regions — streets and communities under the programme's district, with outlines as WKB.
SELECT r.region_id, r.name, r.level, r.parent_id, ST_AsWKB(r.geom)
FROM region r
JOIN programme p ON p.programme_id = $programme_id
LEFT JOIN region st ON r.parent_id = st.region_id
WHERE (r.level = 'street' AND r.parent_id = p.district_id)
   OR (r.level = 'community' AND st.parent_id = p.district_id)
ORDER BY r.region_id;

-- name: identities — the stored households' identity and street, by id (first id wins a key).
SELECT household_id, name, address, phone, street_id FROM household
WHERE programme_id = $programme_id ORDER BY household_id;

-- name: programme_start — the day the programme starts (its year dates short dates).
SELECT starts FROM programme WHERE programme_id = $programme_id;
