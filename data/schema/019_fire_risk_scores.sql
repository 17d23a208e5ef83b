-- City scale (issue 17): every household's fire-risk score stored as a timeline, kept by the
-- writers.
--
-- fire_risk_households used to return every household's registry fields and data.risk scored
-- them in pandas on every view (4.5 s at a million households). A score only changes on the
-- dates its inputs change: a hazard found or rectified, a visit (and the day it becomes
-- overdue), registration and leaving, and 1 January of the years the household turns 80, 85,
-- 90 and 95 (age is counted in calendar years). So the factor units and the weighted score
-- are stored as spans [valid_from, valid_until) like household_state (migration 013), with the
-- version of the weights they were computed with.
--
-- data.household_state.refresh (the one write path every writer of household / inspection /
-- installation / hazard rows calls in its transaction) refreshes these spans too; a weight
-- edit (data.risk.set_weights) and a programme settings change (data.programmes.load)
-- refresh the whole programme. `anju check --db PATH` recomputes the table and reports any
-- difference. The units follow data.risk.units exactly; the score sums units × weight in
-- factor order (data.risk.FACTOR_KEYS), as data.risk.score does.

-- The weights in force per programme: the template's [risk_weights] (1.0 where it names none)
-- with the latest edit per factor (risk_weight, migration 004) applied, in factor order; the
-- visit rule (rules.visit_overdue_days, 90 when unset or 0); and a version naming both.
CREATE MACRO fire_risk_config(p_programme_id) AS TABLE
WITH f AS (
    SELECT * FROM (VALUES
        (1, 'age_band'), (2, 'lives_alone'), (3, 'smoker'), (4, 'drinker'),
        (5, 'combustible_building'), (6, 'old_building'), (7, 'high_floor'),
        (8, 'no_smoke_detector'), (9, 'no_one_key_alarm'), (10, 'no_rcd'),
        (11, 'no_gas_autoshutoff'), (12, 'lpg'), (13, 'open_hazard'), (14, 'no_helper'),
        (15, 'visit_overdue')) AS t(pos, factor)
), p AS (
    SELECT programme_id, settings,
           coalesce(nullif(TRY_CAST(json_extract_string(settings, '$.rules.visit_overdue_days')
                                    AS DOUBLE)::INTEGER, 0), 90) AS overdue_days
    FROM programme
    WHERE p_programme_id IS NULL OR programme_id = p_programme_id
), edits AS (
    SELECT programme_id, factor, arg_max(weight, change_id) AS weight
    FROM risk_weight
    WHERE p_programme_id IS NULL OR programme_id = p_programme_id
    GROUP BY programme_id, factor
), w AS (
    SELECT p.programme_id, p.overdue_days,
           list(coalesce(e.weight,
                         TRY_CAST(json_extract(p.settings, '$.risk_weights.' || f.factor) AS DOUBLE),
                         1.0) ORDER BY f.pos) AS weights
    FROM p CROSS JOIN f
    LEFT JOIN edits e ON e.programme_id = p.programme_id AND e.factor = f.factor
    GROUP BY p.programme_id, p.overdue_days
)
SELECT programme_id, weights, overdue_days,
       md5(weights::VARCHAR || '|' || overdue_days::VARCHAR) AS weights_version
FROM w;

CREATE TABLE fire_risk_score (
    programme_id         VARCHAR NOT NULL,
    household_id         VARCHAR NOT NULL,
    valid_from           DATE NOT NULL,   -- '-infinity' for the span before any change
    valid_until          DATE NOT NULL,   -- exclusive; 'infinity' for the span that holds now
    street_id            VARCHAR,
    community_id         VARCHAR,
    open_hazards         INTEGER NOT NULL,
    last_visit           DATE,
    u_age_band           DOUBLE NOT NULL,
    u_lives_alone        DOUBLE NOT NULL,
    u_smoker             DOUBLE NOT NULL,
    u_drinker            DOUBLE NOT NULL,
    u_combustible_building DOUBLE NOT NULL,
    u_old_building       DOUBLE NOT NULL,
    u_high_floor         DOUBLE NOT NULL,
    u_no_smoke_detector  DOUBLE NOT NULL,
    u_no_one_key_alarm   DOUBLE NOT NULL,
    u_no_rcd             DOUBLE NOT NULL,
    u_no_gas_autoshutoff DOUBLE NOT NULL,
    u_lpg                DOUBLE NOT NULL,
    u_open_hazard        DOUBLE NOT NULL,
    u_no_helper          DOUBLE NOT NULL,
    u_visit_overdue      DOUBLE NOT NULL,
    risk_score           DOUBLE NOT NULL,
    weights_version      VARCHAR NOT NULL
);

-- Each refresh appends a row: the Gi* cache of the 火灾风险 page is keyed by the latest serial
-- of the programme, so any write or weight change makes the next view recompute hotspots.
-- Append-only, so two writers at once never conflict on one row.
CREATE SEQUENCE fire_risk_refresh_seq;
CREATE TABLE fire_risk_refresh (
    serial       BIGINT PRIMARY KEY DEFAULT nextval('fire_risk_refresh_seq'),
    programme_id VARCHAR,             -- NULL: every programme
    refreshed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The spans recomputed from the registry, hazards, visits and weights: of one programme (NULL:
-- all), of some households (NULL: all). Only spans while the household is registered.
CREATE MACRO fire_risk_compute(p_programme_id, p_household_ids := NULL) AS TABLE
WITH cfg AS (
    SELECT * FROM fire_risk_config(p_programme_id)
), hh AS (
    SELECT h.*, cfg.overdue_days, cfg.weights, cfg.weights_version
    FROM household h JOIN cfg USING (programme_id)
    WHERE (p_household_ids IS NULL OR h.household_id IN (SELECT unnest(p_household_ids)))
), visits AS (
    SELECT i.programme_id, i.household_id, i.visited_on
    FROM inspection i SEMI JOIN hh USING (programme_id, household_id)
    WHERE i.outcome <> 'not_home'
), haz AS (
    SELECT z.programme_id, z.household_id, z.found_on, z.rectified_on
    FROM hazard z SEMI JOIN hh USING (programme_id, household_id)
), ev AS (
    -- Every date an input changes, with what changes: +1 / -1 open hazard (a hazard closes on
    -- the later of found and rectified), a visit date; the rest only start a span.
    SELECT programme_id, household_id, '-infinity'::DATE AS d, 0 AS delta, NULL::DATE AS visit
    FROM hh
    UNION ALL SELECT programme_id, household_id, make_date(birth_year + a.age, 1, 1), 0, NULL
          FROM hh CROSS JOIN (VALUES (80), (85), (90), (95)) AS a(age)
          WHERE birth_year BETWEEN 1 AND 9000
    UNION ALL SELECT programme_id, household_id, registered_on, 0, NULL
          FROM hh WHERE registered_on IS NOT NULL
    UNION ALL SELECT programme_id, household_id, left_on, 0, NULL
          FROM hh WHERE left_on IS NOT NULL
    UNION ALL SELECT programme_id, household_id, visited_on, 0, visited_on FROM visits
    UNION ALL SELECT v.programme_id, v.household_id, (v.visited_on + hh.overdue_days + 1)::DATE,
                     0, NULL
          FROM visits v JOIN hh USING (programme_id, household_id)
    UNION ALL SELECT programme_id, household_id, found_on, 1, NULL FROM haz
    UNION ALL SELECT programme_id, household_id, greatest(found_on, rectified_on), -1, NULL
          FROM haz WHERE rectified_on IS NOT NULL
), pts AS (
    SELECT programme_id, household_id, d, sum(delta) AS delta, max(visit) AS visit
    FROM ev
    GROUP BY programme_id, household_id, d
), spans AS (
    SELECT programme_id, household_id, d,
           coalesce(lead(d) OVER w, 'infinity'::DATE) AS until,
           sum(delta) OVER w AS open_hazards,
           max(visit) OVER w AS last_visit
    FROM pts
    WINDOW w AS (PARTITION BY programme_id, household_id ORDER BY d
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), u AS (
    SELECT s.programme_id, s.household_id, s.d AS valid_from, s.until AS valid_until,
           hh.street_id, hh.community_id, hh.weights, hh.weights_version,
           s.open_hazards::INTEGER AS open_hazards, s.last_visit,
           CASE WHEN isfinite(s.d) AND year(s.d) - hh.birth_year >= 80
                THEN least(floor((year(s.d) - hh.birth_year - 80) / 5) + 1, 4)
                ELSE 0 END::DOUBLE AS u_age_band,
           coalesce(hh.lives_alone, false)::DOUBLE AS u_lives_alone,
           coalesce(hh.smoker, false)::DOUBLE AS u_smoker,
           coalesce(hh.drinker, false)::DOUBLE AS u_drinker,
           coalesce(hh.building_nature IN ('砖木', '木结构', '土木', '土坯', '老式里弄', '简易房',
                                           '棚户'), false)::DOUBLE AS u_combustible_building,
           (coalesce(hh.build_year, 9999) < 1980)::DOUBLE AS u_old_building,
           (coalesce(hh.floors, 0) >= 7)::DOUBLE AS u_high_floor,
           coalesce(NOT hh.has_smoke_detector, false)::DOUBLE AS u_no_smoke_detector,
           coalesce(NOT hh.has_one_key_alarm, false)::DOUBLE AS u_no_one_key_alarm,
           coalesce(NOT hh.has_rcd, false)::DOUBLE AS u_no_rcd,
           (coalesce(NOT hh.has_gas_autoshutoff, false)
            AND coalesce(hh.gas_type IN ('piped', 'lpg'), false))::DOUBLE AS u_no_gas_autoshutoff,
           coalesce(hh.gas_type = 'lpg', false)::DOUBLE AS u_lpg,
           least(s.open_hazards, 3)::DOUBLE AS u_open_hazard,
           -- Python's str.strip(): any Unicode space (全角空格 too) counts as blank.
           (regexp_full_match(coalesce(hh.helper_name, ''), '[\pZ\s\x0b\x1c-\x1f\x85]*')
            OR regexp_full_match(coalesce(hh.helper_phone, ''), '[\pZ\s\x0b\x1c-\x1f\x85]*')
           )::DOUBLE AS u_no_helper,
           (s.last_visit IS NULL
            OR s.d - s.last_visit > hh.overdue_days)::DOUBLE AS u_visit_overdue
    FROM spans s
    JOIN hh USING (programme_id, household_id)
    WHERE (hh.registered_on IS NULL OR hh.registered_on <= s.d)
      AND (hh.left_on IS NULL OR hh.left_on > s.d)
)
SELECT programme_id, household_id, valid_from, valid_until, street_id, community_id,
       open_hazards, last_visit,
       u_age_band, u_lives_alone, u_smoker, u_drinker, u_combustible_building, u_old_building,
       u_high_floor, u_no_smoke_detector, u_no_one_key_alarm, u_no_rcd, u_no_gas_autoshutoff,
       u_lpg, u_open_hazard, u_no_helper, u_visit_overdue,
       -- Left to right in factor order, as data.risk.score adds them (same rounding).
       0.0 + u_age_band * weights[1] + u_lives_alone * weights[2] + u_smoker * weights[3]
           + u_drinker * weights[4] + u_combustible_building * weights[5]
           + u_old_building * weights[6] + u_high_floor * weights[7]
           + u_no_smoke_detector * weights[8] + u_no_one_key_alarm * weights[9]
           + u_no_rcd * weights[10] + u_no_gas_autoshutoff * weights[11] + u_lpg * weights[12]
           + u_open_hazard * weights[13] + u_no_helper * weights[14]
           + u_visit_overdue * weights[15] AS risk_score,
       weights_version
FROM u;

-- A database migrated with data already in it starts with its scores.
INSERT INTO fire_risk_score SELECT * FROM fire_risk_compute(NULL);
INSERT INTO fire_risk_refresh (programme_id) VALUES (NULL);
