-- name: weekly_progress — cumulative surveyed / installed / verified per street at each week's end (Friday), as reported then.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $known_at (TIMESTAMP or NULL)
-- $known_at: count only records that reached Anju before it (as published); NULL = business date as known now.
-- Weeks end on Friday, from the first Friday of the programme up to $as_of; $as_of itself is
-- the last point when it is not a Friday. By business date, or (with $known_at) counting only
-- records known by its own date (household_milestones), so it equals programme_kpis on that date. Milestones are
-- counted per day, bucketed into weeks and summed cumulatively. Households outside every
-- street form a row with street_id NULL when the scope is the district.
WITH weeks AS (
    SELECT * FROM week_ends($programme_id, $as_of)
), m AS (
    -- As published: per household, from the events (not on the pages' hot path).
    SELECT * FROM household_milestones($programme_id, $as_of::DATE, p_known_at := $known_at)
    WHERE $known_at IS NOT NULL AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
), tgt AS (
    -- Business date: the stored per-community changes summed per street (street_status /
    -- street_milestones) give the same counts without reading every household.
    SELECT street_id, households AS n FROM street_status($programme_id, [$as_of::DATE])
    WHERE $known_at IS NULL AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
    UNION ALL
    SELECT street_id, count(*) FROM m GROUP BY street_id
), days AS (
    SELECT street_id, on_day, surveyed, installed, verified
    FROM street_milestones($programme_id, $as_of::DATE)
    WHERE $known_at IS NULL AND ($street_ids IS NULL OR list_contains($street_ids, street_id))
    UNION ALL
    SELECT m.street_id, k.on_day, (k.kind = 's')::INT, (k.kind = 'i')::INT, (k.kind = 'v')::INT
    FROM m, LATERAL (VALUES ('s', m.surveyed_on), ('i', m.installed_on),
                            ('v', m.verified_on)) AS k(kind, on_day)
    WHERE k.on_day IS NOT NULL
), streets AS (
    SELECT * FROM district_streets($programme_id, $street_ids)
    WHERE street_id IS NOT NULL OR EXISTS (SELECT 1 FROM tgt WHERE street_id IS NULL)
), targets AS (
    SELECT st.street_id, st.street_name, coalesce(sum(tgt.n), 0)::BIGINT AS target
    FROM streets st LEFT JOIN tgt ON tgt.street_id IS NOT DISTINCT FROM st.street_id
    GROUP BY ALL
), plan AS (
    SELECT week_end, plan_fraction($programme_id, 'install', week_end) AS plan FROM weeks
), counts AS (
    -- Each day's milestones fall in the week ending on the Friday on or after it (week_of).
    SELECT street_id, week_of(on_day, (SELECT min(week_end) FROM weeks), $as_of) AS week_end,
           sum(surveyed) AS surveyed, sum(installed) AS installed, sum(verified) AS verified
    FROM days GROUP BY ALL
)
SELECT w.week_end, t.street_id, t.street_name, t.target,
       CAST(sum(coalesce(c.surveyed, 0)) OVER run AS BIGINT)  AS surveyed,
       CAST(sum(coalesce(c.installed, 0)) OVER run AS BIGINT) AS installed,
       CAST(sum(coalesce(c.verified, 0)) OVER run AS BIGINT)  AS verified,
       pl.plan,
       round(t.target * pl.plan)               AS plan_installed
FROM weeks w
JOIN plan pl USING (week_end)
CROSS JOIN targets t
LEFT JOIN counts c ON c.street_id IS NOT DISTINCT FROM t.street_id AND c.week_end = w.week_end
WINDOW run AS (PARTITION BY t.street_id ORDER BY w.week_end)
ORDER BY w.week_end, t.street_id NULLS LAST;
