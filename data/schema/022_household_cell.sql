-- City scale (issue 17): each household's H3 cell at every resolution Gi* may use, kept by the
-- writers.
--
-- 火灾风险's Gi* needs per-unit counts and sums of the stored scores (fire_risk_score, migration
-- 019), but read every household's point (fire_risk_points, 2 s at a million households) and
-- ran h3 on each in Python, on every view. A household's cell only changes when its point does,
-- so the cells are stored here, one column per resolution grid.resolution_for may choose
-- (geo.grid.RESOLUTIONS, 4 to 11): a cell is computed from the point at its own resolution,
-- never as the parent of a finer cell (H3 children do not tile their parent exactly).
-- The H3 index is kept as its 64-bit integer (h3.str_to_int); geo.grid speaks hex strings.
--
-- Only households with both coordinates have a row. data.household_state.refresh (the one write
-- path of household rows) refreshes the rows of the households it refreshes
-- (data/household_cell.py: h3 is Python, so the cells are computed there); `anju check
-- --db PATH` recomputes them from the points and reports any difference. A database migrated
-- with households in it gets its cells on the same connection (data.connection.connect).

CREATE TABLE household_cell (
    programme_id VARCHAR NOT NULL,
    household_id VARCHAR NOT NULL,
    lon          DOUBLE NOT NULL,   -- the point the cells were computed from
    lat          DOUBLE NOT NULL,
    h3_r4        BIGINT NOT NULL,
    h3_r5        BIGINT NOT NULL,
    h3_r6        BIGINT NOT NULL,
    h3_r7        BIGINT NOT NULL,
    h3_r8        BIGINT NOT NULL,
    h3_r9        BIGINT NOT NULL,
    h3_r10       BIGINT NOT NULL,
    h3_r11       BIGINT NOT NULL
);


-- The spans carry their household's cells (NULL without a point), so Gi*'s counts per cell
-- (fire_risk_cells) and the visit list's hotspot (fire_risk_visits) read one table, with no
-- join of a million households. fire_risk_compute is migration 019's with the cells joined:
-- data.household_state.refresh refreshes a household's cells before its scores.
ALTER TABLE fire_risk_score ADD COLUMN h3_r4 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r5 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r6 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r7 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r8 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r9 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r10 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r11 BIGINT;

CREATE OR REPLACE MACRO fire_risk_compute(p_programme_id, p_household_ids := NULL) AS TABLE
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
       weights_version,
       g.h3_r4, g.h3_r5, g.h3_r6, g.h3_r7, g.h3_r8, g.h3_r9, g.h3_r10, g.h3_r11
FROM u
LEFT JOIN household_cell g USING (programme_id, household_id);
