-- Batches (data/batches/): a street's monthly installation batch, its items and status events.
-- Reads for pages are named queries (batch_candidates, batch_items, batch_list); these are the
-- module's own reads and writes. Status changes check status and revision in the same UPDATE, so
-- a double click from two sessions changes the batch once.

-- name: street_id_for — a street's region_id from its code or name (华阳路街道, 华阳路, 新泾).
SELECT region_id FROM region WHERE level = 'street'
  AND (region_id = $s OR name = $s OR name = $s || '街道' OR name = $s || '镇')
ORDER BY region_id LIMIT 1;

-- name: get — one batch's key facts.
SELECT batch_id, programme_id, street_id, month, crews, per_day, status, revision
FROM batch WHERE batch_id = $batch_id;

-- name: next_number — the next batch number from the sequence.
SELECT nextval('batch_no_seq');

-- name: exists — whether a batch id is taken.
SELECT 1 FROM batch WHERE batch_id = $batch_id;

-- name: insert — a new draft batch.
INSERT INTO batch (batch_id, programme_id, street_id, month, crews, per_day, rules, travel_km,
                   naive_km, created_by, created_at)
VALUES ($batch_id, $programme_id, $street_id, $month, $crews, $per_day, $rules, $travel_km,
        $naive_km, $created_by, $created_at);

-- name: insert_items_from_batch_rows — the plan's items, from a registered frame `batch_rows`.
INSERT INTO batch_item (batch_id, household_id, crew, day, seq, reason, added_by)
SELECT batch_id, household_id, crew, day, seq, reason, added_by FROM batch_rows;

-- name: claim — touch the batch if it is still in $status at $revision (else no row returned).
UPDATE batch SET revision = revision
WHERE batch_id = $batch_id AND status = $status AND revision = $revision
RETURNING batch_id;

-- name: insert_event — a status event for the 逾期 page (batch_event).
INSERT INTO batch_event (batch_id, programme_id, street_id, month, households, event, event_on,
                         actor, recorded_at)
VALUES ($event_id, $programme_id, $street_id, $month, $households, $event, $event_on, $actor,
        $recorded_at);

-- name: active_count — households in a batch not removed.
SELECT count(*) FROM batch_item WHERE batch_id = $batch_id AND removed_at IS NULL;

-- name: mark_sent — 草稿 → 已下发, only from the draft at $revision.
UPDATE batch SET status = 'sent', sent_by = $actor, sent_at = $at
WHERE batch_id = $batch_id AND status = 'draft' AND revision = $revision
RETURNING batch_id;

-- name: mark_confirmed — 已下发 → 已确认, only from the sent batch at $revision.
UPDATE batch SET status = 'confirmed', confirmed_by = $actor, confirmed_at = $at
WHERE batch_id = $batch_id AND status = 'sent' AND revision = $revision
RETURNING batch_id;

-- name: reopen — back to draft with revision + 1, from $status at $revision.
UPDATE batch SET status = 'draft', revision = revision + 1, sent_by = NULL, sent_at = NULL,
       confirmed_by = NULL, confirmed_at = NULL
WHERE batch_id = $batch_id AND status = $status AND revision = $revision
RETURNING batch_id;

-- name: crew_day_stops — one crew-day's households with their coordinates (or their address, to order those without), in visit order.
SELECT bi.household_id, h.lon, h.lat, h.address, h.community_id
FROM batch_item bi JOIN batch b USING (batch_id)
JOIN household h ON h.programme_id = b.programme_id AND h.household_id = bi.household_id
WHERE bi.batch_id = $batch_id AND bi.crew = $crew AND bi.day = $day AND bi.removed_at IS NULL
ORDER BY bi.seq, bi.household_id;

-- name: set_seq — a household's place in its crew-day's visit order.
UPDATE batch_item SET seq = $seq WHERE batch_id = $batch_id AND household_id = $household_id;

-- name: item — a household's crew, day and removal in a batch.
SELECT crew, day, removed_at FROM batch_item
WHERE batch_id = $batch_id AND household_id = $household_id;

-- name: remove_item — take a household out (the row stays, with who, when and why).
UPDATE batch_item SET removed_at = $at, removed_by = $actor, removed_reason = $reason
WHERE batch_id = $batch_id AND household_id = $household_id AND removed_at IS NULL;

-- name: add_item — a household added by hand, ordered last until resequenced.
INSERT INTO batch_item (batch_id, household_id, crew, day, seq, reason, added_by)
VALUES ($batch_id, $household_id, $crew, $day, 999, $reason, $actor);

-- name: restore_item — a household removed earlier comes back: same row, removal cleared.
UPDATE batch_item SET crew = $crew, day = $day, seq = 999, reason = $reason, added_by = $actor,
       removed_at = NULL, removed_by = NULL, removed_reason = NULL
WHERE batch_id = $batch_id AND household_id = $household_id;

-- name: move_item — a household to another crew-day, ordered last until resequenced.
UPDATE batch_item SET crew = $crew, day = $day, seq = 999
WHERE batch_id = $batch_id AND household_id = $household_id AND crew = $from_crew
  AND day = $from_day;

-- name: done_count — batch items marked done (installed), all batches.
SELECT count(*) FROM batch_item WHERE done_on IS NOT NULL;

-- name: mark_done — items of a programme's batches whose household now has an installation.
UPDATE batch_item SET done_on = i.installed_on
FROM (SELECT household_id, min(installed_on) AS installed_on FROM installation
      WHERE programme_id = $programme_id GROUP BY household_id) i
WHERE batch_item.household_id = i.household_id AND batch_item.done_on IS NULL
  AND batch_item.removed_at IS NULL
  AND batch_item.batch_id IN (SELECT batch_id FROM batch WHERE programme_id = $programme_id);

-- name: device_names — gas type → the device name(s) the programme installs for it.
SELECT gas_type, string_agg(name, '、' ORDER BY device_type) FROM device_type
WHERE programme_id = $programme_id GROUP BY gas_type;

-- name: overlaps — of $household_ids, those listed (not removed, not done) in a batch of the programme for $month or later other than $batch_id, with the first such batch: a household is planned once (batch_candidates' in_open_batch, checked again inside the writing transaction).
SELECT bi.household_id, min(b.batch_id) AS batch_id
FROM batch_item bi JOIN batch b USING (batch_id)
WHERE b.programme_id = $programme_id AND b.batch_id <> $batch_id AND b.month >= $month
  AND bi.removed_at IS NULL AND bi.done_on IS NULL
  AND list_contains($household_ids::VARCHAR[], bi.household_id)
GROUP BY bi.household_id ORDER BY bi.household_id;

-- name: claim_households — $household_ids now belong to $batch_id (batch_claim): two sessions claiming one household collide on its key.
INSERT INTO batch_claim (programme_id, household_id, batch_id, month)
SELECT $programme_id, h, $batch_id, $month FROM unnest($household_ids::VARCHAR[]) t(h)
ON CONFLICT (programme_id, household_id) DO UPDATE
SET batch_id = excluded.batch_id, month = excluded.month;
