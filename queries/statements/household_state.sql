-- Statements of data/households/household_state.py: the stored status spans and the
-- per-community changes derived from them (area_change), kept by one write path.
-- $pid NULL: every programme; $ids NULL: every household of the scope.

-- name: delete_spans — drop the spans about to be recomputed.
DELETE FROM household_state
WHERE ($pid IS NULL OR programme_id = $pid)
  AND ($ids IS NULL OR household_id IN (SELECT unnest($ids)));

-- name: insert_spans — the spans recomputed from the events.
INSERT INTO household_state SELECT * FROM household_state_compute($pid, p_household_ids := $ids);

-- name: delete_changes — a whole programme's (or every programme's) changes, before recomputing them.
DELETE FROM area_change WHERE $pid IS NULL OR programme_id = $pid;

-- name: insert_changes — a whole programme's changes recomputed from its spans.
INSERT INTO area_change SELECT * FROM area_change_compute($pid);

-- name: old_changes — the households' changes as their spans stand before the refresh.
CREATE OR REPLACE TEMP TABLE _anju_area_old AS
SELECT * FROM area_change_compute($pid, p_household_ids := $ids);

-- name: new_changes — the households' changes from their refreshed spans.
CREATE OR REPLACE TEMP TABLE _anju_area_new AS
SELECT * FROM area_change_compute($pid, p_household_ids := $ids);

-- name: merge_changes — every (street, community, day) the households touch: stored + new - old.
CREATE OR REPLACE TEMP TABLE _anju_area_merged AS
WITH keys AS (
    SELECT DISTINCT programme_id, street_id, community_id, on_day FROM (
        SELECT programme_id, street_id, community_id, on_day FROM _anju_area_old
        UNION ALL
        SELECT programme_id, street_id, community_id, on_day FROM _anju_area_new)
), stored AS (
    SELECT a.* FROM area_change a
    SEMI JOIN keys k ON k.programme_id = a.programme_id AND k.on_day = a.on_day
        AND k.street_id IS NOT DISTINCT FROM a.street_id
        AND k.community_id IS NOT DISTINCT FROM a.community_id
), d AS (
    SELECT * FROM stored
    UNION ALL
    SELECT * FROM _anju_area_new
    UNION ALL
    SELECT programme_id, street_id, community_id, on_day, -households, -surveyed, -installed,
           -verified, -hazard_open, -gas_cut, -refused, -surveyed_m, -installed_m, -verified_m
    FROM _anju_area_old
)
SELECT programme_id, street_id, community_id, on_day,
       sum(households)::BIGINT AS households, sum(surveyed)::BIGINT AS surveyed,
       sum(installed)::BIGINT AS installed, sum(verified)::BIGINT AS verified,
       sum(hazard_open)::BIGINT AS hazard_open, sum(gas_cut)::BIGINT AS gas_cut,
       sum(refused)::BIGINT AS refused, sum(surveyed_m)::BIGINT AS surveyed_m,
       sum(installed_m)::BIGINT AS installed_m, sum(verified_m)::BIGINT AS verified_m
FROM d
GROUP BY ALL;

-- name: replace_changes — the merged rows replace the stored ones of their keys.
DELETE FROM area_change a
WHERE EXISTS (
    SELECT 1 FROM _anju_area_merged k
    WHERE k.programme_id = a.programme_id AND k.on_day = a.on_day
      AND k.street_id IS NOT DISTINCT FROM a.street_id
      AND k.community_id IS NOT DISTINCT FROM a.community_id);

-- name: insert_merged — the merged rows, all-zero ones dropped (as area_change_compute does).
INSERT INTO area_change
SELECT * FROM _anju_area_merged
WHERE abs(households) + abs(surveyed) + abs(installed) + abs(verified) + abs(hazard_open)
      + abs(gas_cut) + abs(refused) + surveyed_m + installed_m + verified_m > 0;

-- name: drop_old — the refresh's old changes, dropped.
DROP TABLE IF EXISTS _anju_area_old;

-- name: drop_new — the refresh's new changes, dropped.
DROP TABLE IF EXISTS _anju_area_new;

-- name: drop_merged — the refresh's merged changes, dropped.
DROP TABLE IF EXISTS _anju_area_merged;

-- name: recompute_changes — area_change recomputed from the stored spans, for `anju check`.
CREATE OR REPLACE TEMP TABLE _anju_area_check AS SELECT * FROM area_change_compute(NULL);

-- name: change_differences — stored vs recomputed rows of area_change (programme, street,
-- community, side, day), first $limit; the count in the last column.
WITH stored AS (
    SELECT * FROM area_change EXCEPT ALL SELECT * FROM _anju_area_check
), fresh AS (
    SELECT * FROM _anju_area_check EXCEPT ALL SELECT * FROM area_change
), diff AS (
    SELECT programme_id, street_id, community_id, '已存' AS side, on_day FROM stored
    UNION ALL
    SELECT programme_id, street_id, community_id, '重算', on_day FROM fresh
), counted AS (
    SELECT count(*) AS n FROM diff
)
-- The row count is its own aggregate, not count(*) OVER (): DuckDB's window operator
-- without PARTITION/ORDER races under load behind an outer join (docs/upstream-duckdb-window-race.md).
SELECT diff.*, counted.n FROM diff, counted
ORDER BY programme_id, street_id, community_id, on_day, side
LIMIT $limit;

-- name: drop_check — the check's recomputed changes, dropped.
DROP TABLE IF EXISTS _anju_area_check;

-- name: recompute_spans — the spans recomputed from the events, for `anju check`.
CREATE OR REPLACE TEMP TABLE _anju_state_check AS SELECT * FROM household_state_compute(NULL);

-- name: span_difference_count — how many stored and recomputed spans differ.
WITH stored AS (
    SELECT * FROM household_state EXCEPT ALL SELECT * FROM _anju_state_check
), fresh AS (
    SELECT * FROM _anju_state_check EXCEPT ALL SELECT * FROM household_state
), diff AS (
    SELECT programme_id, household_id, '已存' AS side, valid_from, valid_until FROM stored
    UNION ALL
    SELECT programme_id, household_id, '重算', valid_from, valid_until FROM fresh
)
SELECT count(*) FROM diff;

-- name: span_differences — stored vs recomputed spans (programme, household, side, from,
-- until), first $limit.
WITH stored AS (
    SELECT * FROM household_state EXCEPT ALL SELECT * FROM _anju_state_check
), fresh AS (
    SELECT * FROM _anju_state_check EXCEPT ALL SELECT * FROM household_state
), diff AS (
    SELECT programme_id, household_id, '已存' AS side, valid_from, valid_until FROM stored
    UNION ALL
    SELECT programme_id, household_id, '重算', valid_from, valid_until FROM fresh
)
SELECT * FROM diff ORDER BY programme_id, household_id, side, valid_from
LIMIT $limit;

-- name: drop_span_check — the check's recomputed spans, dropped.
DROP TABLE IF EXISTS _anju_state_check;
