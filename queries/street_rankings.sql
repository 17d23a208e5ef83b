-- name: street_rankings — street_ranking on several dates in one call (business date): one row per date and street.
-- params: $programme_id, $dates (DATE[]), $street_ids (VARCHAR[] or NULL = all streets)
-- The same rows as street_ranking on each date (known_at NULL), with the date in as_of; rows
-- ordered by date, then rank. The 周报 ranking needs eight dates (this week, a week, four weeks
-- and a month ago, each month's end): the per-street sums of area_change (street_status)
-- and the hazards' streets are read once for all of them. The as-published view
-- ($known_at) stays street_ranking's, one date per call.
WITH dates AS (
    SELECT DISTINCT CAST(d AS DATE) AS as_of FROM (SELECT unnest($dates) AS d)
), s AS (
    SELECT * FROM street_status($programme_id, $dates)
), hz AS (
    -- each hazard counted once per street and day: found on found_on, rectified (as of a date
    -- on or after both days) on the later of found_on and rectified_on
    SELECT h.street_id, k.on_day, sum(k.found)::BIGINT AS found, sum(k.fixed)::BIGINT AS fixed
    FROM hazard z
    JOIN household h ON h.household_id = z.household_id,
    LATERAL (SELECT z.found_on AS on_day, 1 AS found, 0 AS fixed
             UNION ALL
             SELECT greatest(z.found_on, z.rectified_on), 0, 1
             WHERE z.rectified_on IS NOT NULL) AS k
    WHERE z.programme_id = $programme_id AND h.programme_id = $programme_id
      AND k.on_day <= (SELECT max(as_of) FROM dates)
    GROUP BY ALL
), haz AS (
    SELECT d.as_of, hz.street_id, sum(hz.found)::BIGINT AS hazards_found,
           sum(hz.fixed)::BIGINT AS hazards_rectified
    FROM dates d JOIN hz ON hz.on_day <= d.as_of
    GROUP BY ALL
), agg AS (
    SELECT d.as_of, r.region_id AS street_id, r.name AS street_name,
           coalesce(s.households, 0)::BIGINT  AS target,
           coalesce(s.installed, 0)::BIGINT   AS installed,
           coalesce(s.hazard_open, 0)::BIGINT AS hazards_open,
           coalesce(s.gas_cut, 0)::BIGINT     AS gas_cut
    FROM dates d
    CROSS JOIN region r
    JOIN programme p ON r.parent_id = p.district_id
    LEFT JOIN s ON s.as_of = d.as_of AND s.street_id = r.region_id
    WHERE p.programme_id = $programme_id AND r.level = 'street'
), plan AS (
    SELECT as_of, plan_fraction($programme_id, 'install', as_of) AS plan FROM dates
), ranked AS (
    SELECT agg.*,
           CASE WHEN target > 0 THEN installed / target END AS completion,
           round(target * plan.plan)                         AS plan_installed,
           installed - round(target * plan.plan)             AS gap_to_plan,
           coalesce(haz.hazards_found, 0)                   AS hazards_found,
           coalesce(haz.hazards_rectified, 0)               AS hazards_rectified,
           CASE WHEN haz.hazards_found > 0
                THEN haz.hazards_rectified / haz.hazards_found END AS rectification_rate
    FROM agg
    JOIN plan USING (as_of)
    LEFT JOIN haz USING (as_of, street_id)
)
SELECT as_of,
       rank() OVER (PARTITION BY as_of
                    ORDER BY completion DESC NULLS LAST, gap_to_plan DESC, street_id) AS rank,
       * EXCLUDE (as_of)
FROM ranked
QUALIFY $street_ids IS NULL OR list_contains($street_ids, street_id)
ORDER BY as_of, rank;
