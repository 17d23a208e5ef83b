-- City scale (issue 17): every household's status as a timeline, kept by the writers.
--
-- household_status / household_milestones used to rebuild every household's status from the
-- three event tables on every call (seconds at a million households). A household's status
-- only changes on the dates of its own events, so it is stored as spans [valid_from,
-- valid_until): one row per household per change, the first from -infinity. The business-date
-- view (p_known_at NULL, the default) reads the one span that holds on the date; the
-- as-published view (p_known_at given, migration 008) still counts from the events, exactly.
--
-- Every writer of household / inspection / installation / hazard rows refreshes the spans of
-- the households it touched in the same transaction (data.household_state.refresh, the one
-- write path); `anju check --db PATH` recomputes the whole table from the events and reports
-- any difference.

CREATE TABLE household_state (
    programme_id VARCHAR NOT NULL,
    household_id VARCHAR NOT NULL,
    valid_from   DATE NOT NULL,     -- the span starts on this business date ('-infinity': before any event)
    valid_until  DATE NOT NULL,     -- exclusive; 'infinity' for the span that holds now
    street_id    VARCHAR,
    community_id VARCHAR,
    gas_type     VARCHAR,
    placement    VARCHAR,
    user_class   VARCHAR,
    surveyed     BOOLEAN NOT NULL,
    installed    BOOLEAN NOT NULL,
    verified     BOOLEAN NOT NULL,
    hazard_open  BOOLEAN NOT NULL,
    gas_cut      BOOLEAN NOT NULL,
    refused      BOOLEAN NOT NULL,
    surveyed_on  DATE,              -- milestones (first day counted), the same on every span
    installed_on DATE,
    verified_on  DATE
);

-- The spans recomputed from the events: of one programme (NULL: all), of some households
-- (NULL: all). Each span is household_status (migration 008, p_known_at NULL) evaluated on
-- its first day; every condition there is `event date <= as_of`, so it holds until the
-- household's next event date.
CREATE MACRO household_state_compute(p_programme_id, p_household_ids := NULL) AS TABLE
WITH hh AS (
    SELECT programme_id, household_id, street_id, community_id, gas_type, placement, user_class
    FROM household
    WHERE (p_programme_id IS NULL OR programme_id = p_programme_id)
      AND (p_household_ids IS NULL OR household_id IN (SELECT unnest(p_household_ids)))
), insp AS (
    SELECT programme_id, household_id, visited_on, outcome
    FROM inspection SEMI JOIN hh USING (programme_id, household_id)
    WHERE visited_on IS NOT NULL
), inst AS (
    SELECT programme_id, household_id, installed_on, verified_on
    FROM installation SEMI JOIN hh USING (programme_id, household_id)
    WHERE installed_on IS NOT NULL
), haz AS (
    SELECT programme_id, household_id, found_on, rectified_on, gas_cut_on, gas_restored_on
    FROM hazard SEMI JOIN hh USING (programme_id, household_id)
    WHERE found_on IS NOT NULL
), pts AS (
    SELECT programme_id, household_id, '-infinity'::DATE AS d FROM hh
    UNION SELECT programme_id, household_id, visited_on FROM insp
    UNION SELECT programme_id, household_id, installed_on FROM inst
    UNION SELECT programme_id, household_id, verified_on FROM inst WHERE verified_on IS NOT NULL
    UNION SELECT programme_id, household_id, found_on FROM haz
    UNION SELECT programme_id, household_id, rectified_on FROM haz WHERE rectified_on IS NOT NULL
    UNION SELECT programme_id, household_id, gas_cut_on FROM haz WHERE gas_cut_on IS NOT NULL
    UNION SELECT programme_id, household_id, gas_restored_on FROM haz
          WHERE gas_restored_on IS NOT NULL
), s_insp AS (
    SELECT p.programme_id, p.household_id, p.d,
           bool_or(i.outcome <> 'not_home') AS surveyed,
           arg_max(i.outcome, i.visited_on) AS last_outcome
    FROM pts p
    JOIN insp i ON i.programme_id = p.programme_id AND i.household_id = p.household_id
               AND i.visited_on <= p.d
    GROUP BY p.programme_id, p.household_id, p.d
), s_inst AS (
    SELECT p.programme_id, p.household_id, p.d,
           bool_or(i.verified_on IS NOT NULL AND i.verified_on <= p.d) AS verified
    FROM pts p
    JOIN inst i ON i.programme_id = p.programme_id AND i.household_id = p.household_id
               AND i.installed_on <= p.d
    GROUP BY p.programme_id, p.household_id, p.d
), s_haz AS (
    SELECT p.programme_id, p.household_id, p.d,
           bool_or(NOT coalesce(z.rectified_on <= p.d, false)) AS hazard_open,
           bool_or(coalesce(z.gas_cut_on <= p.d
                   AND NOT coalesce(z.gas_restored_on <= p.d, false), false)) AS gas_cut
    FROM pts p
    JOIN haz z ON z.programme_id = p.programme_id AND z.household_id = p.household_id
              AND z.found_on <= p.d
    GROUP BY p.programme_id, p.household_id, p.d
), m_insp AS (
    SELECT programme_id, household_id, min(visited_on) AS surveyed_on
    FROM insp WHERE outcome <> 'not_home'
    GROUP BY programme_id, household_id
), m_inst AS (
    SELECT programme_id, household_id, min(installed_on) AS installed_on,
           min(CASE WHEN verified_on IS NOT NULL THEN greatest(installed_on, verified_on) END)
               AS verified_on
    FROM inst
    GROUP BY programme_id, household_id
)
SELECT hh.programme_id, hh.household_id,
       p.d AS valid_from,
       coalesce(lead(p.d) OVER (PARTITION BY hh.programme_id, hh.household_id ORDER BY p.d),
                'infinity'::DATE) AS valid_until,
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
FROM pts p
JOIN hh USING (programme_id, household_id)
LEFT JOIN s_insp USING (programme_id, household_id, d)
LEFT JOIN s_inst USING (programme_id, household_id, d)
LEFT JOIN s_haz USING (programme_id, household_id, d)
LEFT JOIN m_insp USING (programme_id, household_id)
LEFT JOIN m_inst USING (programme_id, household_id);

-- The one definition every query reads: business date from the spans, as-published from
-- the events (household_status_events / household_milestones_events, migration 008).
CREATE OR REPLACE MACRO household_status(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
SELECT household_id, street_id, community_id, gas_type, placement, user_class,
       surveyed, installed, verified, hazard_open, gas_cut, refused
FROM household_state
WHERE p_known_at IS NULL AND programme_id = p_programme_id
  AND valid_from <= CAST(p_as_of AS DATE) AND CAST(p_as_of AS DATE) < valid_until
UNION ALL
SELECT * FROM household_status_events(p_programme_id, p_as_of, p_known_at := p_known_at)
WHERE p_known_at IS NOT NULL;

CREATE OR REPLACE MACRO household_milestones(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
SELECT household_id, street_id, community_id, user_class,
       CASE WHEN surveyed_on <= CAST(p_as_of AS DATE) THEN surveyed_on END AS surveyed_on,
       CASE WHEN installed_on <= CAST(p_as_of AS DATE) THEN installed_on END AS installed_on,
       CASE WHEN verified_on <= CAST(p_as_of AS DATE) THEN verified_on END AS verified_on
FROM household_state
WHERE p_known_at IS NULL AND programme_id = p_programme_id
  AND valid_from <= CAST(p_as_of AS DATE) AND CAST(p_as_of AS DATE) < valid_until
UNION ALL
SELECT * FROM household_milestones_events(p_programme_id, p_as_of, p_known_at := p_known_at)
WHERE p_known_at IS NOT NULL;

-- A database migrated with data already in it starts with its spans.
INSERT INTO household_state SELECT * FROM household_state_compute(NULL);
