-- name: programme_kpis — the headline numbers of one programme as of a date, within a scope.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = whole district), $known_at (TIMESTAMP or NULL)
-- $known_at: count only records that reached Anju before it (as published); NULL = business date as known now.
-- target is the programme's official figure for the whole district; within a narrower
-- scope it is the number of registered households there.
-- Business date: the status counts come from the stored per-community changes summed per
-- street (street_status, migration 025), gas type and placement (household attributes, the
-- same on every span of household_state) from the registered households; as published
-- ($known_at): per household from the events (not on the pages' hot path).
WITH s AS (
    SELECT * FROM household_status($programme_id, $as_of::DATE, p_known_at := $known_at)
    WHERE $known_at IS NOT NULL AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
), area AS (
    SELECT coalesce(sum(households), 0)::BIGINT  AS registered,
           coalesce(sum(surveyed), 0)::BIGINT    AS surveyed,
           coalesce(sum(installed), 0)::BIGINT   AS installed,
           coalesce(sum(verified), 0)::BIGINT    AS verified,
           coalesce(sum(hazard_open), 0)::BIGINT AS hazards_open,
           coalesce(sum(gas_cut), 0)::BIGINT     AS gas_cut,
           coalesce(sum(refused), 0)::BIGINT     AS refused
    FROM street_status($programme_id, [$as_of::DATE])
    WHERE $known_at IS NULL AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
), kinds AS (
    -- registered on the date: every household but the registry leavers (migration 017)
    SELECT count(*) FILTER (WHERE gas_type = 'piped')    AS piped,
           count(*) FILTER (WHERE gas_type = 'lpg')      AS lpg,
           count(*) FILTER (WHERE placement <> 'inside') AS unplaced
    FROM household
    WHERE $known_at IS NULL AND programme_id = $programme_id
      AND NOT coalesce(left_on <= CAST($as_of AS DATE), false)
      AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
), counts AS (
    SELECT area.registered, kinds.piped, kinds.lpg, area.surveyed, area.installed,
           area.verified, area.hazards_open, area.gas_cut, area.refused, kinds.unplaced
    FROM area, kinds
    WHERE $known_at IS NULL
    UNION ALL
    SELECT count(*),
           count(*) FILTER (WHERE gas_type = 'piped'),
           count(*) FILTER (WHERE gas_type = 'lpg'),
           count(*) FILTER (WHERE surveyed),
           count(*) FILTER (WHERE installed),
           count(*) FILTER (WHERE verified),
           count(*) FILTER (WHERE hazard_open),
           count(*) FILTER (WHERE gas_cut),
           count(*) FILTER (WHERE refused),
           count(*) FILTER (WHERE placement <> 'inside')
    FROM s
    HAVING $known_at IS NOT NULL
), p AS (
    SELECT target_households FROM programme WHERE programme_id = $programme_id
)
SELECT
    CASE WHEN $street_ids IS NULL THEN coalesce((SELECT target_households FROM p), registered)
         ELSE registered END                                AS target,
    registered,
    piped,
    lpg,
    surveyed,
    installed,
    verified,
    hazards_open,
    gas_cut,
    refused,
    unplaced,
    plan_fraction($programme_id, 'survey', $as_of::DATE)    AS plan_survey_fraction,
    plan_fraction($programme_id, 'install', $as_of::DATE)   AS plan_fraction
FROM counts;
