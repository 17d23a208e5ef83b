-- name: forecast_ceiling — per street (id, name) on each date: registered households, installed, and those that cannot be installed (refused, unfixable, opted out).
-- params: $programme_id, $dates (DATE[]), $street_ids (VARCHAR[] or NULL = all streets)
-- What a forecast may still reach is households − refused − unfixable − opted_out (installed
-- ones included). refused is the KPIs' count (last visit refused, not installed: street_status
-- over area_change); unfixable is a household whose last visit by the date found it
-- unfixable (seed 000: LPG site, supply stopped) and which is not installed; opted_out a
-- household that opted out by the date (seed 002: devices still under warranty), neither
-- installed nor already counted as refused or unfixable. Those two are a handful: the
-- inspections are read only for households that ever had an unfixable visit or an opt-out.
-- Business date only: the ceiling of the as-published view is the one known now.
WITH dates AS (
    SELECT DISTINCT CAST(d AS DATE) AS as_of FROM (SELECT unnest($dates::DATE[]) AS d)
), st AS (
    SELECT as_of, street_id, households, installed, refused
    FROM street_status($programme_id, $dates::DATE[])
    WHERE $street_ids IS NULL OR list_contains($street_ids, street_id)
), cand AS (
    SELECT household_id FROM inspection
    WHERE programme_id = $programme_id AND outcome = 'unfixable'
    UNION
    SELECT household_id FROM household_opt_out WHERE programme_id = $programme_id
), h AS MATERIALIZED (
    SELECT h.household_id, h.street_id, o.household_id IS NOT NULL AS opted,
           coalesce(o.opted_out_on, DATE '1900-01-01') AS opted_on
    FROM household h
    SEMI JOIN cand c ON c.household_id = h.household_id
    LEFT JOIN household_opt_out o
        ON o.programme_id = h.programme_id AND o.household_id = h.household_id
    WHERE h.programme_id = $programme_id
      AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
      AND h.left_on IS NULL
), visits AS MATERIALIZED (
    -- the candidates' visits first, then the dates: never every visit against every date
    SELECT household_id, visited_on, outcome FROM inspection
    WHERE programme_id = $programme_id AND household_id IN (SELECT household_id FROM h)
), fitted AS MATERIALIZED (
    SELECT household_id, min(installed_on) AS installed_on FROM installation
    WHERE programme_id = $programme_id AND household_id IN (SELECT household_id FROM h)
    GROUP BY household_id
), last_visit AS (
    SELECT d.as_of, v.household_id, arg_max(v.outcome, v.visited_on) AS outcome
    FROM visits v JOIN dates d ON v.visited_on <= d.as_of
    GROUP BY ALL
), lost AS (
    SELECT d.as_of, h.street_id,
           count(*) FILTER (WHERE lv.outcome = 'unfixable') AS unfixable,
           count(*) FILTER (WHERE h.opted AND h.opted_on <= d.as_of
                            AND coalesce(lv.outcome, '') NOT IN ('unfixable', 'refused'))
               AS opted_out
    FROM h CROSS JOIN dates d
    LEFT JOIN last_visit lv ON lv.as_of = d.as_of AND lv.household_id = h.household_id
    LEFT JOIN fitted f ON f.household_id = h.household_id
    WHERE f.installed_on IS NULL OR f.installed_on > d.as_of
    GROUP BY ALL
)
SELECT st.as_of, st.street_id, r.name AS street_name,
       -- the target of the whole scope: the programme's official figure for the district,
       -- NULL within a narrower scope (there it is the registered households, as in the KPIs)
       CASE WHEN $street_ids IS NULL
            THEN (SELECT target_households FROM programme WHERE programme_id = $programme_id)
       END AS scope_target,
       st.households, st.installed, st.refused,
       coalesce(l.unfixable, 0)::BIGINT AS unfixable, coalesce(l.opted_out, 0)::BIGINT AS opted_out
FROM st
LEFT JOIN region r ON r.region_id = st.street_id
LEFT JOIN lost l ON l.as_of = st.as_of AND l.street_id IS NOT DISTINCT FROM st.street_id
ORDER BY st.as_of, st.street_id NULLS LAST;
