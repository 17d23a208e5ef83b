-- Seed 004's registry is managed dynamically: a person who moved away, died, entered care or no
-- longer lives alone (household.left_on, migration 014) leaves the target from that date and
-- stays in the history. The two status wrappers drop them from that date on, so every count,
-- denominator and to-do list reading household_status / household_milestones agrees; the spans
-- in household_state stay the recomputation of the events (anju check is unchanged).
-- The leavers are a handful per programme, so the anti-join costs one scan of a mostly-NULL column.
CREATE MACRO registry_leavers(p_programme_id, p_as_of) AS TABLE
SELECT household_id FROM household
WHERE programme_id = p_programme_id AND left_on <= CAST(p_as_of AS DATE);

CREATE OR REPLACE MACRO household_status(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
SELECT household_id, street_id, community_id, gas_type, placement, user_class,
       surveyed, installed, verified, hazard_open, gas_cut, refused
FROM household_state
WHERE p_known_at IS NULL AND programme_id = p_programme_id
  AND valid_from <= CAST(p_as_of AS DATE) AND CAST(p_as_of AS DATE) < valid_until
  AND household_id NOT IN (SELECT household_id FROM registry_leavers(p_programme_id, p_as_of))
UNION ALL
SELECT * FROM household_status_events(p_programme_id, p_as_of, p_known_at := p_known_at)
WHERE p_known_at IS NOT NULL
  AND household_id NOT IN (SELECT household_id FROM registry_leavers(p_programme_id, p_as_of));

CREATE OR REPLACE MACRO household_milestones(p_programme_id, p_as_of, p_known_at := NULL) AS TABLE
SELECT household_id, street_id, community_id, user_class,
       CASE WHEN surveyed_on <= CAST(p_as_of AS DATE) THEN surveyed_on END AS surveyed_on,
       CASE WHEN installed_on <= CAST(p_as_of AS DATE) THEN installed_on END AS installed_on,
       CASE WHEN verified_on <= CAST(p_as_of AS DATE) THEN verified_on END AS verified_on
FROM household_state
WHERE p_known_at IS NULL AND programme_id = p_programme_id
  AND valid_from <= CAST(p_as_of AS DATE) AND CAST(p_as_of AS DATE) < valid_until
  AND household_id NOT IN (SELECT household_id FROM registry_leavers(p_programme_id, p_as_of))
UNION ALL
SELECT * FROM household_milestones_events(p_programme_id, p_as_of, p_known_at := p_known_at)
WHERE p_known_at IS NOT NULL
  AND household_id NOT IN (SELECT household_id FROM registry_leavers(p_programme_id, p_as_of));
