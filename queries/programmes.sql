-- name: programmes — the programmes in this database, newest first, with their district.
-- params: none
SELECT p.programme_id, p.name, p.kind, p.district_id, d.name AS district_name,
       p.starts, p.ends, p.target_households
FROM programme p
LEFT JOIN region d ON d.region_id = p.district_id
ORDER BY p.starts DESC, p.programme_id;
