-- name: data_status — what kind of database this is and the latest date any record carries.
-- params: $programme_id
-- The map opens on latest_date; is_demo drives the 演示数据 banner.
SELECT
    coalesce((SELECT value = 'demo' FROM app_meta WHERE key = 'dataset'), false) AS is_demo,
    greatest(
        (SELECT max(visited_on) FROM inspection WHERE programme_id = $programme_id),
        (SELECT max(installed_on) FROM installation WHERE programme_id = $programme_id),
        (SELECT max(verified_on) FROM installation WHERE programme_id = $programme_id),
        (SELECT max(found_on) FROM hazard WHERE programme_id = $programme_id)
    ) AS latest_date,
    (SELECT name FROM programme WHERE programme_id = $programme_id) AS programme_name,
    (SELECT count(*) FROM household WHERE programme_id = $programme_id) AS households;
