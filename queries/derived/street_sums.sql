-- Per-street and per-scope counts on several dates in one read of area_change.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- Status counts per street on each of p_dates, registry leavers taken out.
CREATE OR REPLACE MACRO street_status(p_programme_id, p_dates) AS TABLE
WITH dates AS (
    SELECT DISTINCT CAST(d AS DATE) AS as_of FROM (SELECT unnest(p_dates) AS d)
), days AS (
    SELECT street_id, on_day, sum(households) AS households, sum(surveyed) AS surveyed,
           sum(installed) AS installed, sum(verified) AS verified,
           sum(hazard_open) AS hazard_open, sum(gas_cut) AS gas_cut, sum(refused) AS refused
    FROM area_change
    WHERE programme_id = p_programme_id
      AND on_day <= (SELECT max(as_of) FROM dates)
    GROUP BY ALL
), leavers AS (
    SELECT d.as_of, s.street_id, 1 AS households, s.surveyed::INT AS surveyed,
           s.installed::INT AS installed, s.verified::INT AS verified,
           s.hazard_open::INT AS hazard_open, s.gas_cut::INT AS gas_cut, s.refused::INT AS refused
    FROM household h
    JOIN household_state s ON s.programme_id = h.programme_id AND s.household_id = h.household_id
    JOIN dates d ON h.left_on <= d.as_of
        AND s.valid_from <= d.as_of AND d.as_of < s.valid_until
    WHERE h.programme_id = p_programme_id AND h.left_on IS NOT NULL
), d AS (
    SELECT dates.as_of, days.street_id, days.households, days.surveyed, days.installed,
           days.verified, days.hazard_open, days.gas_cut, days.refused
    FROM dates JOIN days ON days.on_day <= dates.as_of
    UNION ALL
    SELECT as_of, street_id, -households, -surveyed, -installed, -verified, -hazard_open,
           -gas_cut, -refused
    FROM leavers
)
SELECT as_of, street_id, sum(households)::BIGINT AS households,
       sum(surveyed)::BIGINT AS surveyed, sum(installed)::BIGINT AS installed,
       sum(verified)::BIGINT AS verified, sum(hazard_open)::BIGINT AS hazard_open,
       sum(gas_cut)::BIGINT AS gas_cut, sum(refused)::BIGINT AS refused
FROM d
GROUP BY ALL
HAVING sum(households) <> 0;

-- The headline counts of a scope (p_street_ids NULL: whole programme) on each of p_dates.
CREATE OR REPLACE MACRO scope_counts(p_programme_id, p_dates, p_street_ids) AS TABLE
WITH dates AS (
    SELECT DISTINCT CAST(d AS DATE) AS as_of FROM (SELECT unnest(p_dates) AS d)
), area AS (
    SELECT as_of, sum(households) AS registered, sum(surveyed) AS surveyed,
           sum(installed) AS installed, sum(verified) AS verified,
           sum(hazard_open) AS hazards_open, sum(gas_cut) AS gas_cut, sum(refused) AS refused
    FROM street_status(p_programme_id, p_dates)
    WHERE p_street_ids IS NULL OR list_contains(p_street_ids, street_id)
    GROUP BY as_of
), everyone AS (
    SELECT count(*) FILTER (WHERE gas_type = 'piped')    AS piped,
           count(*) FILTER (WHERE gas_type = 'lpg')      AS lpg,
           count(*) FILTER (WHERE placement <> 'inside') AS unplaced
    FROM household
    WHERE programme_id = p_programme_id
      AND (p_street_ids IS NULL OR list_contains(p_street_ids, street_id))
), gone AS (
    -- the registry leavers of each date
    SELECT d.as_of,
           count(*) FILTER (WHERE h.gas_type = 'piped')    AS piped,
           count(*) FILTER (WHERE h.gas_type = 'lpg')      AS lpg,
           count(*) FILTER (WHERE h.placement <> 'inside') AS unplaced
    FROM household h JOIN dates d ON h.left_on <= d.as_of
    WHERE h.programme_id = p_programme_id AND h.left_on IS NOT NULL
      AND (p_street_ids IS NULL OR list_contains(p_street_ids, h.street_id))
    GROUP BY d.as_of
)
SELECT d.as_of,
       coalesce(a.registered, 0)::BIGINT                   AS registered,
       (e.piped - coalesce(g.piped, 0))::BIGINT            AS piped,
       (e.lpg - coalesce(g.lpg, 0))::BIGINT                AS lpg,
       coalesce(a.surveyed, 0)::BIGINT                     AS surveyed,
       coalesce(a.installed, 0)::BIGINT                    AS installed,
       coalesce(a.verified, 0)::BIGINT                     AS verified,
       coalesce(a.hazards_open, 0)::BIGINT                 AS hazards_open,
       coalesce(a.gas_cut, 0)::BIGINT                      AS gas_cut,
       coalesce(a.refused, 0)::BIGINT                      AS refused,
       (e.unplaced - coalesce(g.unplaced, 0))::BIGINT      AS unplaced
FROM dates d
CROSS JOIN everyone e
LEFT JOIN area a ON a.as_of = d.as_of
LEFT JOIN gone g ON g.as_of = d.as_of;

-- Milestones per street and day up to a date, registry leavers taken out. A leaver's milestones
-- are read from its span on the date (with valid_until = 'infinity' instead DuckDB builds the
-- join on every span rather than on the handful of leavers).
CREATE OR REPLACE MACRO street_milestones(p_programme_id, p_as_of) AS TABLE
WITH leavers AS (
    SELECT s.street_id, s.surveyed_on, s.installed_on, s.verified_on
    FROM household_state s
    JOIN registry_leavers(p_programme_id, p_as_of) USING (household_id)
    WHERE s.programme_id = p_programme_id
      AND s.valid_from <= CAST(p_as_of AS DATE) AND CAST(p_as_of AS DATE) < s.valid_until
), leaver_days AS (
    -- unnest, not LATERAL (VALUES ...): with a lateral join DuckDB probes every span.
    SELECT street_id, unnest([surveyed_on, installed_on, verified_on]) AS on_day,
           unnest([1, 0, 0]) AS surveyed_m, unnest([0, 1, 0]) AS installed_m,
           unnest([0, 0, 1]) AS verified_m
    FROM leavers
), d AS (
    SELECT street_id, on_day, surveyed_m, installed_m, verified_m
    FROM area_change
    WHERE programme_id = p_programme_id AND on_day <= CAST(p_as_of AS DATE)
      AND surveyed_m + installed_m + verified_m > 0
    UNION ALL
    SELECT street_id, on_day, -surveyed_m, -installed_m, -verified_m FROM leaver_days
    WHERE on_day <= CAST(p_as_of AS DATE)
)
SELECT street_id, on_day, sum(surveyed_m)::BIGINT AS surveyed,
       sum(installed_m)::BIGINT AS installed, sum(verified_m)::BIGINT AS verified
FROM d
GROUP BY ALL
HAVING sum(surveyed_m) <> 0 OR sum(installed_m) <> 0 OR sum(verified_m) <> 0;
