-- Status counts per community from area_change, without reading every household.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- The per-community changes recomputed from household_state: what area_change must hold.
CREATE OR REPLACE MACRO area_change_compute(p_programme_id, p_household_ids := NULL) AS TABLE
WITH s AS (
    SELECT * FROM household_state
    WHERE (p_programme_id IS NULL OR programme_id = p_programme_id)
      AND (p_household_ids IS NULL OR household_id IN (SELECT unnest(p_household_ids)))
), d AS (
    SELECT programme_id, street_id, community_id, valid_from AS on_day, 1 AS households,
           surveyed::INT AS surveyed, installed::INT AS installed, verified::INT AS verified,
           hazard_open::INT AS hazard_open, gas_cut::INT AS gas_cut, refused::INT AS refused,
           0 AS surveyed_m, 0 AS installed_m, 0 AS verified_m
    FROM s
    UNION ALL
    SELECT programme_id, street_id, community_id, valid_until, -1,
           -surveyed::INT, -installed::INT, -verified::INT,
           -hazard_open::INT, -gas_cut::INT, -refused::INT, 0, 0, 0
    FROM s WHERE valid_until <> 'infinity'::DATE
    UNION ALL
    SELECT programme_id, street_id, community_id, k.on_day, 0, 0, 0, 0, 0, 0, 0,
           (k.kind = 's')::INT, (k.kind = 'i')::INT, (k.kind = 'v')::INT
    FROM s, LATERAL (VALUES ('s', s.surveyed_on), ('i', s.installed_on),
                            ('v', s.verified_on)) AS k(kind, on_day)
    WHERE s.valid_until = 'infinity'::DATE AND k.on_day IS NOT NULL
)
SELECT programme_id, street_id, community_id, on_day,
       sum(households)::BIGINT AS households, sum(surveyed)::BIGINT AS surveyed,
       sum(installed)::BIGINT AS installed, sum(verified)::BIGINT AS verified,
       sum(hazard_open)::BIGINT AS hazard_open, sum(gas_cut)::BIGINT AS gas_cut,
       sum(refused)::BIGINT AS refused, sum(surveyed_m)::BIGINT AS surveyed_m,
       sum(installed_m)::BIGINT AS installed_m, sum(verified_m)::BIGINT AS verified_m
FROM d
GROUP BY ALL
HAVING abs(sum(households)) + abs(sum(surveyed)) + abs(sum(installed)) + abs(sum(verified))
       + abs(sum(hazard_open)) + abs(sum(gas_cut)) + abs(sum(refused))
       + sum(surveyed_m) + sum(installed_m) + sum(verified_m) > 0;

-- Status counts per community on a date, registry leavers taken out.
CREATE OR REPLACE MACRO area_status(p_programme_id, p_as_of) AS TABLE
WITH leavers AS (
    SELECT s.street_id, s.community_id, 1 AS households, s.surveyed::INT AS surveyed,
           s.installed::INT AS installed, s.verified::INT AS verified,
           s.hazard_open::INT AS hazard_open, s.gas_cut::INT AS gas_cut, s.refused::INT AS refused
    FROM household_state s
    JOIN registry_leavers(p_programme_id, p_as_of) USING (household_id)
    WHERE s.programme_id = p_programme_id
      AND s.valid_from <= CAST(p_as_of AS DATE) AND CAST(p_as_of AS DATE) < s.valid_until
), d AS (
    SELECT street_id, community_id, households, surveyed, installed, verified, hazard_open,
           gas_cut, refused
    FROM area_change
    WHERE programme_id = p_programme_id AND on_day <= CAST(p_as_of AS DATE)
    UNION ALL
    SELECT street_id, community_id, -households, -surveyed, -installed, -verified,
           -hazard_open, -gas_cut, -refused
    FROM leavers
)
SELECT street_id, community_id, sum(households)::BIGINT AS households,
       sum(surveyed)::BIGINT AS surveyed, sum(installed)::BIGINT AS installed,
       sum(verified)::BIGINT AS verified, sum(hazard_open)::BIGINT AS hazard_open,
       sum(gas_cut)::BIGINT AS gas_cut, sum(refused)::BIGINT AS refused
FROM d
GROUP BY ALL
HAVING sum(households) <> 0;

-- Milestones per community and day up to a date, registry leavers taken out.
CREATE OR REPLACE MACRO area_milestones(p_programme_id, p_as_of) AS TABLE
WITH leavers AS (
    SELECT s.street_id, s.community_id, k.on_day,
           (k.kind = 's')::INT AS surveyed_m, (k.kind = 'i')::INT AS installed_m,
           (k.kind = 'v')::INT AS verified_m
    FROM household_state s
    JOIN registry_leavers(p_programme_id, p_as_of) USING (household_id),
    LATERAL (VALUES ('s', s.surveyed_on), ('i', s.installed_on),
                    ('v', s.verified_on)) AS k(kind, on_day)
    WHERE s.programme_id = p_programme_id AND s.valid_until = 'infinity'::DATE
      AND k.on_day <= CAST(p_as_of AS DATE)
), d AS (
    SELECT street_id, community_id, on_day, surveyed_m, installed_m, verified_m
    FROM area_change
    WHERE programme_id = p_programme_id AND on_day <= CAST(p_as_of AS DATE)
      AND surveyed_m + installed_m + verified_m > 0
    UNION ALL
    SELECT street_id, community_id, on_day, -surveyed_m, -installed_m, -verified_m FROM leavers
)
SELECT street_id, community_id, on_day, sum(surveyed_m)::BIGINT AS surveyed,
       sum(installed_m)::BIGINT AS installed, sum(verified_m)::BIGINT AS verified
FROM d
GROUP BY ALL
HAVING sum(surveyed_m) <> 0 OR sum(installed_m) <> 0 OR sum(verified_m) <> 0;
