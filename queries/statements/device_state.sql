-- Statements of data/events/device_state.py (device_state).

-- name: delete — The stored rows of a programme (NULL: all), of some households and/or serials (NULL: all).
DELETE FROM device_state
WHERE ($programme_id IS NULL OR programme_id = $programme_id)
  AND ($household_ids::VARCHAR[] IS NULL OR household_id IN (SELECT unnest($household_ids::VARCHAR[])))
  AND ($serials::VARCHAR[] IS NULL OR serial IN (SELECT unnest($serials::VARCHAR[])));

-- name: insert — The same rows recomputed from installations, households and platform events.
INSERT INTO device_state
SELECT * FROM device_state_compute($programme_id, p_household_ids := $household_ids::VARCHAR[],
                                   p_serials := $serials::VARCHAR[]);

-- name: check_fill — The whole table recomputed, into a temporary table the check compares with.
CREATE OR REPLACE TEMP TABLE _anju_device_check AS SELECT * FROM device_state_compute(NULL);

-- name: check_count — How many rows differ between the stored table and the recomputation.
WITH stored AS (SELECT * FROM device_state EXCEPT ALL SELECT * FROM _anju_device_check),
     fresh AS (SELECT * FROM _anju_device_check EXCEPT ALL SELECT * FROM device_state)
SELECT (SELECT count(*) FROM stored) + (SELECT count(*) FROM fresh);

-- name: check_rows — The first differing rows: programme, serial, household, side, last event.
WITH stored AS (SELECT * FROM device_state EXCEPT ALL SELECT * FROM _anju_device_check),
     fresh AS (SELECT * FROM _anju_device_check EXCEPT ALL SELECT * FROM device_state)
SELECT programme_id, serial, household_id, '已存' AS side, last_event_at FROM stored
UNION ALL
SELECT programme_id, serial, household_id, '重算' AS side, last_event_at FROM fresh
ORDER BY programme_id, serial, household_id, side
LIMIT $limit;

-- name: check_drop — The temporary table of the check.
DROP TABLE IF EXISTS _anju_device_check;
