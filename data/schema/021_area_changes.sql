-- City scale (issue 17): per-community status counts on any date without reading every household.
--
-- A household's span in household_state (migration 013) adds its flags to its community from
-- valid_from and takes them away again at valid_until. area_change keeps those changes summed per
-- (programme, street, community, day): the count of any status on a date is the sum of the
-- changes up to that date, a few thousand rows per programme instead of a million households.
-- The milestone columns count households whose first survey / install / verification day it
-- is (weekly_progress buckets them into weeks). Rows whose every change is zero are not kept.
--
-- It is derived from household_state only, so the one write path that refreshes the spans
-- (data.household_state.refresh) refreshes it in the same transaction, and `anju check`
-- recomputes it. Registry leavers (migration 017) are a handful per programme: area_status and
-- area_milestones below take them out live, exactly as the household_status wrappers do.

CREATE TABLE area_change (
    programme_id VARCHAR NOT NULL,
    street_id    VARCHAR,
    community_id VARCHAR,
    on_day       DATE NOT NULL,   -- '-infinity' for a household's first span
    households   BIGINT NOT NULL,
    surveyed     BIGINT NOT NULL,
    installed    BIGINT NOT NULL,
    verified     BIGINT NOT NULL,
    hazard_open  BIGINT NOT NULL,
    gas_cut      BIGINT NOT NULL,
    refused      BIGINT NOT NULL,
    surveyed_m   BIGINT NOT NULL, -- households first surveyed on on_day
    installed_m  BIGINT NOT NULL,
    verified_m   BIGINT NOT NULL
);

-- The changes recomputed from household_state: of one programme (NULL: all), of some
-- households (NULL: all). Each span counts +1 from valid_from and -1 from valid_until; the
-- milestones are read from the span that holds now (they are the same on every span).
CREATE MACRO area_change_compute(p_programme_id, p_household_ids := NULL) AS TABLE
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

-- Status counts per community on a date: the same numbers as grouping household_status
-- (business date) by street and community, registry leavers taken out.
CREATE MACRO area_status(p_programme_id, p_as_of) AS TABLE
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

-- Milestones per community and day up to a date: the same numbers as counting
-- household_milestones (business date) by street, community and day, leavers taken out.
CREATE MACRO area_milestones(p_programme_id, p_as_of) AS TABLE
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

-- A database migrated with data already in it starts with its changes.
INSERT INTO area_change SELECT * FROM area_change_compute(NULL);
