-- A household's status is derived as of a date from its dated events, so any past week
-- can be re-shown exactly. Every coverage query reads these macros: one definition of
-- "surveyed", "installed", "open hazard" for the whole app.

-- "As it was then": a record counts on a date only if it had reached Anju by the end of that
-- day (recorded_at; a record without one is taken as known on its event date). So a past
-- Friday's bulletin is re-shown exactly, even after late records arrived. Knowledge time
-- applies to a record's existence (visit, hazard found, installation); later changes to the
-- same row (rectified_on, verified_on, gas_restored_on) are taken on their own dates.

CREATE MACRO known_by(p_recorded_at, p_event_on, p_as_of) AS
    coalesce(p_recorded_at, CAST(p_event_on AS TIMESTAMP))
        < CAST(p_as_of AS DATE) + INTERVAL 1 DAY;

CREATE MACRO household_status(p_programme_id, p_as_of) AS TABLE
WITH insp AS (
    SELECT household_id,
           bool_or(outcome <> 'not_home') AS surveyed,
           arg_max(outcome, visited_on) AS last_outcome
    FROM inspection
    WHERE programme_id = p_programme_id AND visited_on <= p_as_of
      AND known_by(recorded_at, visited_on, p_as_of)
    GROUP BY household_id
), inst AS (
    SELECT household_id,
           true AS installed,
           bool_or(verified_on IS NOT NULL AND verified_on <= p_as_of) AS verified
    FROM installation
    WHERE programme_id = p_programme_id AND installed_on <= p_as_of
      AND known_by(recorded_at, installed_on, p_as_of)
    GROUP BY household_id
), haz AS (
    SELECT household_id,
           bool_or(rectified_on IS NULL OR rectified_on > p_as_of) AS hazard_open,
           bool_or(gas_cut_on IS NOT NULL AND gas_cut_on <= p_as_of
                   AND (gas_restored_on IS NULL OR gas_restored_on > p_as_of)) AS gas_cut
    FROM hazard
    WHERE programme_id = p_programme_id AND found_on <= p_as_of
      AND known_by(recorded_at, found_on, p_as_of)
    GROUP BY household_id
)
SELECT h.household_id, h.street_id, h.community_id, h.gas_type, h.placement,
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

-- Share of a phase's work the plan expects done by a date: linear over the phase, counting
-- both end days, 0 before it starts and 1 after it ends.
CREATE MACRO plan_fraction(p_programme_id, p_kind, p_as_of) AS (
    SELECT coalesce(max(greatest(0.0, least(1.0,
               (date_diff('day', starts, CAST(p_as_of AS DATE)) + 1)::DOUBLE
               / (date_diff('day', starts, ends) + 1)))), 0.0)
    FROM programme_phase
    WHERE programme_id = p_programme_id AND kind = p_kind
);
