-- name: street_ranking — streets ranked by completion as of a date, with gap to plan and hazard rectification rate.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $known_at (TIMESTAMP or NULL)
-- $known_at: count only records that reached Anju before it (as published); NULL = business date as known now.
-- Rank 1 = highest completion (ties: fewer households behind plan, then street id). Ranks are
-- computed over the whole district and then filtered to the scope, so a street office sees
-- its own place in the district ranking without seeing other streets' rows.
-- Business date: counts from the stored per-community changes summed per street
-- (street_status); as published ($known_at): from the events, per household.
-- The 周报 page reads several dates at once by business date: street_rankings.
WITH s AS (
    SELECT street_id, households, installed, hazard_open, gas_cut
    FROM street_status($programme_id, [$as_of::DATE])
    WHERE $known_at IS NULL
    UNION ALL
    SELECT street_id, 1, installed::INT, hazard_open::INT, gas_cut::INT
    FROM household_status($programme_id, $as_of::DATE, p_known_at := $known_at)
    WHERE $known_at IS NOT NULL
), haz AS (
    SELECT h.street_id,
           count(*)                                                       AS hazards_found,
           count(*) FILTER (WHERE z.rectified_on <= CAST($as_of AS DATE)
                   AND known_by(z.rectified_recorded_at, z.rectified_on, $as_of,
                                p_known_at := $known_at))         AS hazards_rectified
    FROM hazard z
    JOIN household h ON h.programme_id = z.programme_id AND h.household_id = z.household_id
    WHERE z.programme_id = $programme_id AND z.found_on <= CAST($as_of AS DATE)
      AND known_by(z.recorded_at, z.found_on, $as_of, p_known_at := $known_at)
    GROUP BY h.street_id
), agg AS (
    SELECT r.region_id AS street_id, r.name AS street_name,
           coalesce(sum(s.households), 0)::BIGINT  AS target,
           coalesce(sum(s.installed), 0)::BIGINT   AS installed,
           coalesce(sum(s.hazard_open), 0)::BIGINT AS hazards_open,
           coalesce(sum(s.gas_cut), 0)::BIGINT     AS gas_cut
    FROM region r
    JOIN programme p ON r.parent_id = p.district_id
    LEFT JOIN s ON s.street_id = r.region_id
    WHERE p.programme_id = $programme_id AND r.level = 'street'
    GROUP BY ALL
), ranked AS (
    SELECT agg.* EXCLUDE (p), unnest(agg.p),
           coalesce(haz.hazards_found, 0)                   AS hazards_found,
           coalesce(haz.hazards_rectified, 0)               AS hazards_rectified,
           CASE WHEN haz.hazards_found > 0
                THEN haz.hazards_rectified / haz.hazards_found END AS rectification_rate
    FROM (SELECT *, against_plan($programme_id, $as_of::DATE, target, installed) AS p FROM agg) agg
    LEFT JOIN haz USING (street_id)
)
SELECT rank() OVER (ORDER BY completion DESC NULLS LAST, gap_to_plan DESC, street_id) AS rank,
       * EXCLUDE (plan)
FROM ranked
QUALIFY $street_ids IS NULL OR list_contains($street_ids, street_id)
ORDER BY rank;
