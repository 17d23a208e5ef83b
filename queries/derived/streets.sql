-- The rows a street table shows, and the weeks a weekly table shows: what the queries and their
-- per-household references in tests/reference_sql share around the counts.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- The streets of the programme's district (all, or those in p_street_ids), plus, when the scope
-- is the district, the row for households outside every street (street_id NULL), which callers
-- keep only when there are such households.
CREATE OR REPLACE MACRO district_streets(p_programme_id, p_street_ids) AS TABLE
    SELECT r.region_id AS street_id, r.name AS street_name
    FROM region r JOIN programme pr ON r.parent_id = pr.district_id
    WHERE pr.programme_id = p_programme_id AND r.level = 'street'
      AND (p_street_ids IS NULL OR list_contains(p_street_ids, r.region_id))
    UNION ALL
    SELECT NULL, '（未落入任何街道）'
    WHERE p_street_ids IS NULL;

-- Weeks end on Friday, from the first Friday of the programme up to p_as_of; p_as_of itself is
-- the last week end when it is not a Friday.
CREATE OR REPLACE MACRO week_ends(p_programme_id, p_as_of) AS TABLE
    WITH p AS (
        SELECT starts FROM programme WHERE programme_id = p_programme_id
    )
    SELECT DISTINCT CAST(w AS DATE) AS week_end
    FROM p, generate_series(
            p.starts + CAST((5 - isodow(p.starts) + 7) % 7 AS INTEGER),
            CAST(p_as_of AS DATE), INTERVAL 7 DAY) AS g(w)
    UNION
    SELECT CAST(p_as_of AS DATE) FROM p WHERE CAST(p_as_of AS DATE) >= p.starts;

-- The week a day's milestone falls in: the Friday on or after it, p_as_of for the last, partial
-- week, and no earlier than the first week end p_first.
CREATE OR REPLACE MACRO week_of(p_day, p_first, p_as_of) AS
    greatest(p_first, least(CAST(p_as_of AS DATE),
                            p_day + CAST((5 - isodow(p_day) + 7) % 7 AS INTEGER)));

-- The communities of the programme's district, with their street (all, or those of the streets
-- in p_street_ids).
CREATE OR REPLACE MACRO district_communities(p_programme_id, p_street_ids) AS TABLE
    SELECT c.region_id AS community_id, c.name AS community_name,
           st.region_id AS street_id, st.name AS street_name
    FROM region c
    JOIN region st ON c.parent_id = st.region_id AND st.level = 'street'
    JOIN programme p ON st.parent_id = p.district_id
    WHERE p.programme_id = p_programme_id AND c.level = 'community'
      AND (p_street_ids IS NULL OR list_contains(p_street_ids, st.region_id));

-- An area's installations against the plan on p_as_of: its completion, the share of the install
-- phase the plan expects done, the installations that share of p_target is, and how far
-- p_installed is from it. Spread into columns by unnest(p) over a column p that holds it
-- (unnest of the call itself cannot copy plan_fraction's subquery).
CREATE OR REPLACE MACRO against_plan(p_programme_id, p_as_of, p_target, p_installed) AS struct_pack(
    completion := CASE WHEN p_target > 0 THEN p_installed / p_target END,
    plan := plan_fraction(p_programme_id, 'install', p_as_of),
    plan_installed := round(p_target * plan_fraction(p_programme_id, 'install', p_as_of)),
    gap_to_plan := p_installed - round(p_target * plan_fraction(p_programme_id, 'install', p_as_of))
);
