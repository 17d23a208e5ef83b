-- name: batch_candidates — households of a street not yet installed, for planning a month's batch, with why they might come first.
-- params: $programme_id, $as_of (DATE: status known by then), $month (DATE: first day of the month planned), $street_ids (VARCHAR[] or NULL = all streets)
-- in_open_batch: listed (not removed, not done) in a batch for $month or later: never planned twice.
-- carried_from: an earlier month's batch that listed it without it being installed.
-- community_completion: installed ÷ registered in the household's community as of $as_of.
-- loc_level: how well the household's place is known (building, estate, road, community, none);
-- a household without lon/lat is still a candidate, ordered by its address (data.batches).
-- risk_score: the stored fire-risk score on $as_of (fire_risk_score: the weights in
-- force), 0 for a household without one (not registered then).
-- Installed: any installation dated on or before $as_of, even one whose record reached Anju
-- later (a plan uses everything known now; household_status re-shows what was known then).
WITH st AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE)
), comm AS (
    SELECT community_id, count(*) AS community_households,
           count(*) FILTER (WHERE installed) AS community_installed
    FROM st GROUP BY community_id
), items AS (
    SELECT bi.household_id, b.batch_id, b.month
    FROM batch_item bi JOIN batch b USING (batch_id)
    WHERE b.programme_id = $programme_id AND bi.removed_at IS NULL AND bi.done_on IS NULL
), open_b AS (
    SELECT household_id, min(batch_id) AS open_batch_id FROM items
    WHERE month >= strftime($month::DATE, '%Y-%m') GROUP BY household_id
), past_b AS (
    SELECT household_id, max(batch_id) AS carried_from FROM items
    WHERE month < strftime($month::DATE, '%Y-%m') GROUP BY household_id
), inst AS (
    SELECT DISTINCT household_id FROM installation
    WHERE programme_id = $programme_id AND installed_on <= $as_of::DATE
), haz AS (
    SELECT household_id, string_agg(DISTINCT kind, '、') AS hazard_kinds
    FROM hazard
    WHERE programme_id = $programme_id AND found_on <= $as_of::DATE
      AND (rectified_on IS NULL OR rectified_on > $as_of::DATE)
    GROUP BY household_id
)
SELECT h.household_id, h.street_id, s.name AS street_name, h.community_id,
       c.name AS community_name, h.address, h.name, h.phone, h.gas_type, h.birth_year,
       year($month::DATE) - h.birth_year AS age, h.lon, h.lat,
       coalesce(h.loc_level, CASE WHEN h.lon IS NOT NULL AND h.lat IS NOT NULL THEN 'building'
                                  WHEN h.community_id IS NOT NULL THEN 'community'
                                  ELSE 'none' END) AS loc_level,
       st.surveyed, st.hazard_open, st.gas_cut, st.refused, haz.hazard_kinds,
       comm.community_installed::DOUBLE / nullif(comm.community_households, 0) AS community_completion,
       open_b.open_batch_id, past_b.carried_from, coalesce(r.risk_score, 0.0) AS risk_score
FROM household h
JOIN st USING (household_id)
LEFT JOIN region s ON s.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
LEFT JOIN comm ON comm.community_id = h.community_id
LEFT JOIN open_b ON open_b.household_id = h.household_id
LEFT JOIN past_b ON past_b.household_id = h.household_id
LEFT JOIN haz ON haz.household_id = h.household_id
LEFT JOIN fire_risk_score r ON r.programme_id = h.programme_id AND r.household_id = h.household_id
    AND r.valid_from <= $as_of::DATE AND $as_of::DATE < r.valid_until
WHERE h.programme_id = $programme_id
  AND NOT st.installed
  AND h.household_id NOT IN (SELECT household_id FROM inst)
  AND h.street_id IS NOT NULL
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY h.household_id;
