-- The first day each household counted as surveyed / installed / verified: a weekly series in
-- one pass instead of one status query per week.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- Each household's milestones up to a date from the events (p_known_at: as published).
CREATE OR REPLACE MACRO household_milestones_events(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
WITH inst AS (
    SELECT household_id,
           min(installed_on) AS installed_on,
           min(CASE WHEN verified_on IS NOT NULL AND verified_on <= p_as_of
                         AND known_by(verified_recorded_at, verified_on, p_as_of,
                                      p_known_at := p_known_at)
                    THEN greatest(installed_on, verified_on) END) AS verified_on
    FROM installation
    WHERE programme_id = p_programme_id AND installed_on <= p_as_of
      AND known_by(recorded_at, installed_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
), insp AS (
    SELECT household_id, min(visited_on) AS surveyed_on
    FROM inspection
    WHERE programme_id = p_programme_id AND visited_on <= p_as_of AND outcome <> 'not_home'
      AND known_by(recorded_at, visited_on, p_as_of, p_known_at := p_known_at)
    GROUP BY household_id
)
SELECT h.household_id, h.street_id, h.community_id, h.user_class,
       least(insp.surveyed_on, inst.installed_on) AS surveyed_on,
       inst.installed_on,
       CASE WHEN inst.verified_on <= p_as_of THEN inst.verified_on END AS verified_on
FROM household h
LEFT JOIN insp USING (household_id)
LEFT JOIN inst USING (household_id)
WHERE h.programme_id = p_programme_id;

-- Each registered household's milestones up to a date: business date from the stored spans,
-- as-published from the events; registry leavers left out.
CREATE OR REPLACE MACRO household_milestones(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
SELECT household_id, street_id, community_id, user_class,
       CASE WHEN surveyed_on <= CAST(p_as_of AS DATE) THEN surveyed_on END AS surveyed_on,
       CASE WHEN installed_on <= CAST(p_as_of AS DATE) THEN installed_on END AS installed_on,
       CASE WHEN verified_on <= CAST(p_as_of AS DATE) THEN verified_on END AS verified_on
FROM household_state
WHERE p_known_at IS NULL AND programme_id = p_programme_id
  AND valid_from <= CAST(p_as_of AS DATE) AND CAST(p_as_of AS DATE) < valid_until
  AND household_id NOT IN (SELECT household_id FROM registry_leavers(p_programme_id, p_as_of))
UNION ALL
SELECT * FROM household_milestones_events(p_programme_id, p_as_of, p_known_at := p_known_at)
WHERE p_known_at IS NOT NULL
  AND household_id NOT IN (SELECT household_id FROM registry_leavers(p_programme_id, p_as_of));
