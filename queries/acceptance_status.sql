-- name: acceptance_status — each street's month up the chain: latest event (已上报 / 已审核 / 已退回 / 已重开), who, when, why, and the month's verified installations.
-- params: $programme_id, $period (VARCHAR 'YYYY-MM'), $street_ids (VARCHAR[] or NULL = all streets)
WITH ev AS (
    SELECT street_id, event, actor, event_at, reason, installations
    FROM acceptance_event
    WHERE programme_id = $programme_id AND month = $period
    QUALIFY row_number() OVER (PARTITION BY street_id ORDER BY event_id DESC) = 1
), done AS (
    SELECT h.street_id, count(*) AS verified
    FROM installation i
    JOIN household h ON h.household_id = i.household_id
    WHERE i.programme_id = $programme_id AND h.programme_id = $programme_id
      AND strftime(i.verified_on, '%Y-%m') = $period
    GROUP BY ALL
), streets AS (
    -- the streets with households: every household's first span adds one to its street's
    -- '-infinity' row of area_change, so these rows name them all
    SELECT DISTINCT street_id FROM area_change
    WHERE programme_id = $programme_id AND on_day = '-infinity'::DATE AND households > 0
)
SELECT r.region_id AS street_id, r.name AS street_name, coalesce(done.verified, 0) AS verified,
       ev.event, ev.actor, ev.event_at, ev.reason, ev.installations AS submitted
FROM region r
LEFT JOIN ev ON ev.street_id = r.region_id
LEFT JOIN done ON done.street_id = r.region_id
WHERE r.level = 'street'
  AND ($street_ids IS NULL OR list_contains($street_ids, r.region_id))
  AND r.region_id IN (SELECT street_id FROM streets)
ORDER BY r.name;
