-- Fire-risk scores (seed 004): the weights in force and the stored score spans.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- The weights in force per programme, the visit rule, and a version naming both.
CREATE OR REPLACE MACRO fire_risk_config(p_programme_id) AS TABLE
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
                                    AS DOUBLE)::INTEGER, 0), 90) AS overdue_days,
           -- Who is in the registry (data.firerisk.risk.registry_rule says the same): a
           -- programme's [programme.eligibility] (seed 004: 年满60周岁的独居老人), or
           -- `registry = true` when its list itself is the registry (seed 000's confirmed
           -- 高龄独居老人 list); neither (gas users, seed 002): nobody, so nothing is scored.
           (json_extract(settings, '$.eligibility') IS NOT NULL
            OR coalesce(TRY_CAST(json_extract_string(settings, '$.registry') AS BOOLEAN), false)
           ) AS has_registry,
           TRY_CAST(json_extract_string(settings, '$.eligibility.min_age') AS INTEGER) AS min_age,
           coalesce(TRY_CAST(json_extract_string(settings, '$.eligibility.lives_alone')
                             AS BOOLEAN), false) AS alone_only
    FROM programme
    WHERE p_programme_id IS NULL OR programme_id = p_programme_id
), edits AS (
    SELECT programme_id, factor, arg_max(weight, change_id) AS weight
    FROM risk_weight
    WHERE p_programme_id IS NULL OR programme_id = p_programme_id
    GROUP BY programme_id, factor
), w AS (
    SELECT p.programme_id, p.overdue_days, p.has_registry, p.min_age, p.alone_only,
           list(coalesce(e.weight,
                         TRY_CAST(json_extract(p.settings, '$.risk_weights.' || f.factor) AS DOUBLE),
                         1.0) ORDER BY f.pos) AS weights
    FROM p CROSS JOIN f
    LEFT JOIN edits e ON e.programme_id = p.programme_id AND e.factor = f.factor
    GROUP BY p.programme_id, p.overdue_days, p.has_registry, p.min_age, p.alone_only
)
SELECT programme_id, weights, overdue_days, has_registry, min_age, alone_only,
       md5(weights::VARCHAR || '|' || overdue_days::VARCHAR) AS weights_version
FROM w;

-- The score spans recomputed from registry, hazards, visits, weights and H3 cells: what
-- fire_risk_score must hold. The units follow data.firerisk.risk.units exactly and the score adds them
-- in factor order as data.firerisk.risk.score does; a span starts on every date an input changes.
CREATE OR REPLACE MACRO fire_risk_compute(p_programme_id, p_household_ids := NULL) AS TABLE
WITH cfg AS (
    SELECT * FROM fire_risk_config(p_programme_id)
), hh AS (
    -- An integer key per household (the same on every read of hh: a deterministic order), so
    -- the 8 million change dates are grouped and windowed on an integer, not two strings.
    SELECT dense_rank() OVER (ORDER BY h.programme_id, h.household_id) AS k,
           h.programme_id, h.household_id, h.street_id, h.community_id, h.birth_year,
           h.registered_on, h.left_on,
           cfg.overdue_days, cfg.weights, cfg.weights_version, cfg.min_age,
           coalesce(h.lives_alone, false)::DOUBLE AS u_lives_alone,
           coalesce(h.smoker, false)::DOUBLE AS u_smoker,
           coalesce(h.drinker, false)::DOUBLE AS u_drinker,
           coalesce(h.building_nature IN ('砖木', '木结构', '土木', '土坯', '老式里弄', '简易房',
                                          '棚户'), false)::DOUBLE AS u_combustible_building,
           (coalesce(h.build_year, 9999) < 1980)::DOUBLE AS u_old_building,
           (coalesce(h.floors, 0) >= 7)::DOUBLE AS u_high_floor,
           coalesce(NOT h.has_smoke_detector, false)::DOUBLE AS u_no_smoke_detector,
           coalesce(NOT h.has_one_key_alarm, false)::DOUBLE AS u_no_one_key_alarm,
           coalesce(NOT h.has_rcd, false)::DOUBLE AS u_no_rcd,
           (coalesce(NOT h.has_gas_autoshutoff, false)
            AND coalesce(h.gas_type IN ('piped', 'lpg'), false))::DOUBLE AS u_no_gas_autoshutoff,
           coalesce(h.gas_type = 'lpg', false)::DOUBLE AS u_lpg,
           -- Python's str.strip(): any Unicode space (全角空格 too) counts as blank.
           (regexp_full_match(coalesce(h.helper_name, ''), '[\pZ\s\x0b\x1c-\x1f\x85]*')
            OR regexp_full_match(coalesce(h.helper_phone, ''), '[\pZ\s\x0b\x1c-\x1f\x85]*')
           )::DOUBLE AS u_no_helper,
           g.h3_r4, g.h3_r5, g.h3_r6, g.h3_r7, g.h3_r8, g.h3_r9, g.h3_r10, g.h3_r11
    FROM household h
    JOIN cfg USING (programme_id)
    LEFT JOIN household_cell g
        ON g.programme_id = h.programme_id AND g.household_id = h.household_id
    WHERE (p_household_ids IS NULL OR h.household_id IN (SELECT unnest(p_household_ids)))
      AND cfg.has_registry
      AND (NOT cfg.alone_only OR coalesce(h.lives_alone, false))
), visits AS (
    SELECT hh.k, i.visited_on, hh.overdue_days
    FROM inspection i JOIN hh USING (programme_id, household_id)
    WHERE i.outcome <> 'not_home'
), haz AS (
    SELECT hh.k, z.found_on, z.rectified_on
    FROM hazard z JOIN hh USING (programme_id, household_id)
), ev AS (
    -- Every date an input changes, with what changes: +1 / -1 open hazard (a hazard closes on
    -- the later of found and rectified), a visit date; the rest only start a span.
    SELECT k, '-infinity'::DATE AS d, 0 AS delta, NULL::DATE AS visit
    FROM hh
    UNION ALL SELECT k, make_date(birth_year + a.age, 1, 1), 0, NULL
          FROM hh CROSS JOIN (VALUES (80), (85), (90), (95)) AS a(age)
          WHERE birth_year BETWEEN 1 AND 9000
    -- The day a household reaches the registry's age (whole calendar years, as the age bands).
    UNION ALL SELECT k, make_date(birth_year + min_age, 1, 1), 0, NULL
          FROM hh WHERE min_age IS NOT NULL AND birth_year BETWEEN 1 AND 9000
    UNION ALL SELECT k, registered_on, 0, NULL FROM hh WHERE registered_on IS NOT NULL
    UNION ALL SELECT k, left_on, 0, NULL FROM hh WHERE left_on IS NOT NULL
    UNION ALL SELECT k, visited_on, 0, visited_on FROM visits
    UNION ALL SELECT k, (visited_on + overdue_days + 1)::DATE, 0, NULL FROM visits
    UNION ALL SELECT k, found_on, 1, NULL FROM haz
    UNION ALL SELECT k, greatest(found_on, rectified_on), -1, NULL
          FROM haz WHERE rectified_on IS NOT NULL
), pts AS (
    SELECT k, d, sum(delta) AS delta, max(visit) AS visit
    FROM ev
    GROUP BY k, d
), spans AS (
    SELECT k, d,
           coalesce(lead(d) OVER w, 'infinity'::DATE) AS until,
           sum(delta) OVER w AS open_hazards,
           max(visit) OVER w AS last_visit
    FROM pts
    WINDOW w AS (PARTITION BY k ORDER BY d
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), u AS (
    SELECT hh.programme_id, hh.household_id, s.d AS valid_from, s.until AS valid_until,
           hh.street_id, hh.community_id, hh.weights, hh.weights_version,
           s.open_hazards::INTEGER AS open_hazards, s.last_visit,
           CASE WHEN isfinite(s.d) AND year(s.d) - hh.birth_year >= 80
                THEN least(floor((year(s.d) - hh.birth_year - 80) / 5) + 1, 4)
                ELSE 0 END::DOUBLE AS u_age_band,
           hh.u_lives_alone, hh.u_smoker, hh.u_drinker, hh.u_combustible_building,
           hh.u_old_building, hh.u_high_floor, hh.u_no_smoke_detector, hh.u_no_one_key_alarm,
           hh.u_no_rcd, hh.u_no_gas_autoshutoff, hh.u_lpg,
           least(s.open_hazards, 3)::DOUBLE AS u_open_hazard,
           hh.u_no_helper,
           (s.last_visit IS NULL
            OR s.d - s.last_visit > hh.overdue_days)::DOUBLE AS u_visit_overdue,
           hh.h3_r4, hh.h3_r5, hh.h3_r6, hh.h3_r7, hh.h3_r8, hh.h3_r9, hh.h3_r10, hh.h3_r11
    FROM spans s
    JOIN hh USING (k)
    WHERE (hh.registered_on IS NULL OR hh.registered_on <= s.d)
      AND (hh.left_on IS NULL OR hh.left_on > s.d)
      -- Under the registry's age, or of unknown age, a household is not (yet) in it.
      AND (hh.min_age IS NULL
           OR (isfinite(s.d) AND year(s.d) - hh.birth_year >= hh.min_age))
)
SELECT programme_id, household_id, valid_from, valid_until, street_id, community_id,
       open_hazards, last_visit,
       u_age_band, u_lives_alone, u_smoker, u_drinker, u_combustible_building, u_old_building,
       u_high_floor, u_no_smoke_detector, u_no_one_key_alarm, u_no_rcd, u_no_gas_autoshutoff,
       u_lpg, u_open_hazard, u_no_helper, u_visit_overdue,
       -- Left to right in factor order, as data.firerisk.risk.score adds them (same rounding).
       0.0 + u_age_band * weights[1] + u_lives_alone * weights[2] + u_smoker * weights[3]
           + u_drinker * weights[4] + u_combustible_building * weights[5]
           + u_old_building * weights[6] + u_high_floor * weights[7]
           + u_no_smoke_detector * weights[8] + u_no_one_key_alarm * weights[9]
           + u_no_rcd * weights[10] + u_no_gas_autoshutoff * weights[11] + u_lpg * weights[12]
           + u_open_hazard * weights[13] + u_no_helper * weights[14]
           + u_visit_overdue * weights[15] AS risk_score,
       weights_version,
       h3_r4, h3_r5, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, h3_r11
FROM u;
