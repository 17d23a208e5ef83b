-- name: programmes — the programmes in this database, the default first, then newest first, with their district.
-- params: none
SELECT p.programme_id, p.name, p.kind, p.district_id, d.name AS district_name,
       p.starts, p.ends, p.target_households
FROM programme p
LEFT JOIN region d ON d.region_id = p.district_id
-- The demo names its default (app_meta default_programme): the sidebar opens on it.
ORDER BY p.programme_id = (SELECT value FROM app_meta WHERE key = 'default_programme') DESC,
         p.starts DESC, p.programme_id;
