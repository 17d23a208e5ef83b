-- name: class_progress — progress of each user class (seed 001: residential / non-residential) against its own target and deadline.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = whole district), $known_at (TIMESTAMP or NULL)
-- One row per class the programme defines (programme_class); none when it defines none. A
-- household's class is class_of(user_class): residential, or any non-residential sector.
WITH classes AS (
    SELECT * FROM programme_class WHERE programme_id = $programme_id
), s AS (
    -- households are read only when the programme defines classes (most define none)
    SELECT class_of(user_class) AS user_class, installed, surveyed
    FROM household_status($programme_id, $as_of::DATE, p_known_at := $known_at)
    WHERE ($street_ids IS NULL OR list_contains($street_ids, street_id))
      AND EXISTS (SELECT 1 FROM classes)
), agg AS (
    SELECT user_class, count(*) AS registered,
           count(*) FILTER (WHERE surveyed) AS surveyed,
           count(*) FILTER (WHERE installed) AS installed
    FROM s GROUP BY user_class
)
SELECT c.user_class, c.name,
       CASE WHEN $street_ids IS NULL THEN coalesce(c.target_households, a.registered, 0)
            ELSE coalesce(a.registered, 0) END                       AS target,
       coalesce(a.registered, 0)                                    AS registered,
       coalesce(a.surveyed, 0)                                      AS surveyed,
       coalesce(a.installed, 0)                                     AS installed,
       c.install_deadline,
       plan_fraction_class($programme_id, c.user_class, 'install', $as_of::DATE) AS plan_fraction,
       CAST(c.install_deadline AS DATE) < CAST($as_of AS DATE)
           AND coalesce(a.installed, 0) < coalesce(c.target_households, a.registered, 0)
                                                                    AS past_deadline
FROM classes c
LEFT JOIN agg a USING (user_class)
ORDER BY c.user_class DESC;
