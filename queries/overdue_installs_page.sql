-- name: overdue_installs_page — one page of overdue_installs (same rows, same order), searched, sorted and cut in SQL; total_rows is the whole list's length.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $days_after_survey (INTEGER), $search (VARCHAR or NULL: part of the household id, street, community, address or name), $limit (INTEGER), $offset (INTEGER)
-- The rows and order of overdue_installs.sql: the same macro, overdue_install_list (a test
-- compares every page with the whole list).
WITH listed AS (
    SELECT * FROM overdue_install_list($programme_id, $as_of, $street_ids, $days_after_survey)
    WHERE $search IS NULL
       OR contains(household_id, $search) OR contains(coalesce(street_name, ''), $search)
       OR contains(coalesce(community_name, ''), $search) OR contains(coalesce(address, ''), $search)
       OR contains(coalesce(name, ''), $search)
), counted AS (
    SELECT count(*) AS total_rows FROM listed
)
-- The row count is its own aggregate, not count(*) OVER (): DuckDB's window operator
-- without PARTITION/ORDER races under load behind an outer join (docs/upstream-duckdb-window-race.md).
SELECT listed.*, counted.total_rows
FROM listed, counted
ORDER BY days_late DESC, household_id
LIMIT $limit OFFSET $offset;
