-- A household's status on a date: the one definition of surveyed / installed / verified /
-- open hazard / gas cut / refused that every count reads.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- Whether a record (or an update of one) counts as known before p_known_at (NULL: everything
-- counts, the business date as known now); a record without a recorded-at is taken as known on
-- its event date. p_as_of is unused, kept for the callers' shape.
CREATE OR REPLACE MACRO known_by(p_recorded_at, p_event_on, p_as_of, p_known_at := NULL) AS
    p_known_at IS NULL
    OR coalesce(p_recorded_at, CAST(p_event_on AS TIMESTAMP)) < CAST(p_known_at AS TIMESTAMP);

-- Who has left seed 004's registry by a date (moved, died, in care, no longer alone). A handful
-- per programme, so the anti-joins below cost one scan of a mostly-NULL column.
CREATE OR REPLACE MACRO registry_leavers(p_programme_id, p_as_of) AS TABLE
SELECT household_id FROM household
WHERE programme_id = p_programme_id AND left_on <= CAST(p_as_of AS DATE);

-- Each household's status on a date from the events (p_known_at: the as-published view).
CREATE OR REPLACE MACRO household_status_events(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
WITH insp AS (
    SELECT household_id,
           bool_or(outcome <> 'not_home') AS surveyed,
           arg_max(outcome, visited_on) AS last_outcome
    FROM inspection
    WHERE programme_id = p_programme_id AND visited_on <= p_as_of
      AND known_by(recorded_at, visited_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
), inst AS (
    SELECT household_id,
           true AS installed,
           bool_or(verified_on IS NOT NULL AND verified_on <= p_as_of
                   AND known_by(verified_recorded_at, verified_on, p_as_of,
                                p_known_at := p_known_at)) AS verified
    FROM installation
    WHERE programme_id = p_programme_id AND installed_on <= p_as_of
      AND known_by(recorded_at, installed_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
), haz AS (
    SELECT household_id,
           bool_or(NOT coalesce(rectified_on <= p_as_of
                   AND known_by(rectified_recorded_at, rectified_on, p_as_of,
                                p_known_at := p_known_at), false)) AS hazard_open,
           bool_or(coalesce(gas_cut_on <= p_as_of
                   AND known_by(gas_cut_recorded_at, gas_cut_on, p_as_of, p_known_at := p_known_at)
                   AND NOT coalesce(gas_restored_on <= p_as_of
                       AND known_by(restored_recorded_at, gas_restored_on, p_as_of,
                                    p_known_at := p_known_at), false), false)) AS gas_cut
    FROM hazard
    WHERE programme_id = p_programme_id AND found_on <= p_as_of
      AND known_by(recorded_at, found_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
)
SELECT h.household_id, h.street_id, h.community_id, h.gas_type, h.placement, h.user_class,
       coalesce(insp.surveyed, false) OR coalesce(inst.installed, false) AS surveyed,
       coalesce(inst.installed, false) AS installed,
       coalesce(inst.verified, false) AS verified,
       coalesce(haz.hazard_open, false) AS hazard_open,
       coalesce(haz.gas_cut, false) AS gas_cut,
       coalesce(insp.last_outcome = 'refused' AND NOT coalesce(inst.installed, false), false) AS refused
FROM household h
LEFT JOIN insp USING (household_id)
LEFT JOIN inst USING (household_id)
LEFT JOIN haz USING (household_id)
WHERE h.programme_id = p_programme_id;

-- The stored status spans [valid_from, valid_until) recomputed from the events, of one
-- programme (NULL: all) and some households (NULL: all): what household_state must hold.
CREATE OR REPLACE MACRO household_state_compute(p_programme_id, p_household_ids := NULL) AS TABLE
WITH hh AS (
    SELECT dense_rank() OVER (ORDER BY programme_id, household_id) AS k,
           programme_id, household_id, street_id, community_id, gas_type, placement, user_class
    FROM household
    WHERE (p_programme_id IS NULL OR programme_id = p_programme_id)
      AND (p_household_ids IS NULL OR household_id IN (SELECT unnest(p_household_ids)))
), insp AS (
    SELECT hh.k, i.visited_on, i.outcome
    FROM inspection i JOIN hh USING (programme_id, household_id)
    WHERE i.visited_on IS NOT NULL
), inst AS (
    SELECT hh.k, i.installed_on, i.verified_on
    FROM installation i JOIN hh USING (programme_id, household_id)
    WHERE i.installed_on IS NOT NULL
), haz AS (
    SELECT hh.k, z.found_on, z.rectified_on, z.gas_cut_on, z.gas_restored_on
    FROM hazard z JOIN hh USING (programme_id, household_id)
    WHERE z.found_on IS NOT NULL
), pts AS (
    SELECT k, '-infinity'::DATE AS d FROM hh
    UNION SELECT k, visited_on FROM insp
    UNION SELECT k, installed_on FROM inst
    UNION SELECT k, verified_on FROM inst WHERE verified_on IS NOT NULL
    UNION SELECT k, found_on FROM haz
    UNION SELECT k, rectified_on FROM haz WHERE rectified_on IS NOT NULL
    UNION SELECT k, gas_cut_on FROM haz WHERE gas_cut_on IS NOT NULL
    UNION SELECT k, gas_restored_on FROM haz WHERE gas_restored_on IS NOT NULL
), spans AS (
    -- windowed on the two narrow columns alone, before anything wide is joined
    SELECT k, d, coalesce(lead(d) OVER (PARTITION BY k ORDER BY d), 'infinity'::DATE) AS until
    FROM pts
), s_insp AS (
    SELECT p.k, p.d,
           bool_or(i.outcome <> 'not_home') AS surveyed,
           arg_max(i.outcome, i.visited_on) AS last_outcome
    FROM pts p
    JOIN insp i ON i.k = p.k AND i.visited_on <= p.d
    GROUP BY p.k, p.d
), s_inst AS (
    SELECT p.k, p.d,
           bool_or(i.verified_on IS NOT NULL AND i.verified_on <= p.d) AS verified
    FROM pts p
    JOIN inst i ON i.k = p.k AND i.installed_on <= p.d
    GROUP BY p.k, p.d
), s_haz AS (
    SELECT p.k, p.d,
           bool_or(NOT coalesce(z.rectified_on <= p.d, false)) AS hazard_open,
           bool_or(coalesce(z.gas_cut_on <= p.d
                   AND NOT coalesce(z.gas_restored_on <= p.d, false), false)) AS gas_cut
    FROM pts p
    JOIN haz z ON z.k = p.k AND z.found_on <= p.d
    GROUP BY p.k, p.d
), m_insp AS (
    SELECT k, min(visited_on) AS surveyed_on
    FROM insp WHERE outcome <> 'not_home'
    GROUP BY k
), m_inst AS (
    SELECT k, min(installed_on) AS installed_on,
           min(CASE WHEN verified_on IS NOT NULL THEN greatest(installed_on, verified_on) END)
               AS verified_on
    FROM inst
    GROUP BY k
)
SELECT hh.programme_id, hh.household_id,
       p.d AS valid_from, p.until AS valid_until,
       hh.street_id, hh.community_id, hh.gas_type, hh.placement, hh.user_class,
       coalesce(s_insp.surveyed, false) OR s_inst.d IS NOT NULL AS surveyed,
       s_inst.d IS NOT NULL AS installed,
       coalesce(s_inst.verified, false) AS verified,
       coalesce(s_haz.hazard_open, false) AS hazard_open,
       coalesce(s_haz.gas_cut, false) AS gas_cut,
       coalesce(s_insp.last_outcome = 'refused' AND s_inst.d IS NULL, false) AS refused,
       least(m_insp.surveyed_on, m_inst.installed_on) AS surveyed_on,
       m_inst.installed_on,
       m_inst.verified_on
FROM spans p
JOIN hh USING (k)
LEFT JOIN s_insp USING (k, d)
LEFT JOIN s_inst USING (k, d)
LEFT JOIN s_haz USING (k, d)
LEFT JOIN m_insp USING (k)
LEFT JOIN m_inst USING (k);

-- Each registered household's status on a date: business date (p_known_at NULL) from the one
-- stored span holding on the date, as-published from the events; registry leavers left out.
CREATE OR REPLACE MACRO household_status(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
SELECT household_id, street_id, community_id, gas_type, placement, user_class,
       surveyed, installed, verified, hazard_open, gas_cut, refused
FROM household_state
WHERE p_known_at IS NULL AND programme_id = p_programme_id
  AND valid_from <= CAST(p_as_of AS DATE) AND CAST(p_as_of AS DATE) < valid_until
  AND household_id NOT IN (SELECT household_id FROM registry_leavers(p_programme_id, p_as_of))
UNION ALL
SELECT * FROM household_status_events(p_programme_id, p_as_of, p_known_at := p_known_at)
WHERE p_known_at IS NOT NULL
  AND household_id NOT IN (SELECT household_id FROM registry_leavers(p_programme_id, p_as_of));
