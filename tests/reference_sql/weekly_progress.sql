-- Reference for tests/test_street_sums.py: weekly_progress as it counted per household (household_status /
-- household_milestones), before the per-community sums (area_change).
-- was: weekly_progress — cumulative surveyed / installed / verified per street at each week's end (Friday), as reported then.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $known_at (TIMESTAMP or NULL)
-- $known_at: count only records that reached Anju before it (as published); NULL = business date as known now.
-- Weeks end on Friday, from the first Friday of the programme up to $as_of; $as_of itself is
-- the last point when it is not a Friday. By business date, or (with $known_at) counting only
-- records known by its own date (household_milestones), so it equals programme_kpis on that date. Milestones are
-- bucketed into weeks and summed cumulatively: one pass over the households. Households outside every
-- street form a row with street_id NULL when the scope is the district.
WITH weeks AS (
    SELECT * FROM week_ends($programme_id, $as_of)
), m AS (
    SELECT * FROM household_milestones($programme_id, $as_of::DATE, p_known_at := $known_at)
    WHERE $street_ids IS NULL OR list_contains($street_ids, street_id)
), streets AS (
    SELECT * FROM district_streets($programme_id, $street_ids)
    WHERE street_id IS NOT NULL OR EXISTS (SELECT 1 FROM m WHERE street_id IS NULL)
), targets AS (
    SELECT st.street_id, st.street_name, count(m.household_id) AS target
    FROM streets st LEFT JOIN m ON m.street_id IS NOT DISTINCT FROM st.street_id
    GROUP BY ALL
), plan AS (
    SELECT week_end, plan_fraction($programme_id, 'install', week_end) AS plan FROM weeks
), bucketed AS (
    -- Each milestone falls in the week ending on the Friday on or after it ($as_of for the
    -- last, partial week): one pass over households instead of one per week.
    SELECT m.street_id, k.kind, week_of(k.on_day, (SELECT min(week_end) FROM weeks), $as_of) AS week_end
    FROM m, LATERAL (VALUES ('surveyed', m.surveyed_on), ('installed', m.installed_on),
                            ('verified', m.verified_on)) AS k(kind, on_day)
    WHERE k.on_day IS NOT NULL
), counts AS (
    SELECT street_id, week_end,
           count(*) FILTER (WHERE kind = 'surveyed')  AS surveyed,
           count(*) FILTER (WHERE kind = 'installed') AS installed,
           count(*) FILTER (WHERE kind = 'verified')  AS verified
    FROM bucketed GROUP BY ALL
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
