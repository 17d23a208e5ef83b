-- What the plan expects done by a date, and the user class a household's plan follows.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- A household's class: 'residential', or 'non_residential' for seed 001's other sectors.
CREATE OR REPLACE MACRO class_of(p_user_class) AS
    CASE WHEN coalesce(p_user_class, 'residential') = 'residential' THEN 'residential'
         ELSE 'non_residential' END;

-- Share of a phase's work the plan expects done by a date.
CREATE OR REPLACE MACRO plan_fraction(p_programme_id, p_kind, p_as_of) AS (
    SELECT coalesce(max(greatest(0.0, least(1.0,
               (date_diff('day', starts, CAST(p_as_of AS DATE)) + 1)::DOUBLE
               / (date_diff('day', starts, ends) + 1)))), 0.0)
    FROM programme_phase
    WHERE programme_id = p_programme_id AND kind = p_kind
);

-- Share of one user class's phase expected done by a date.
CREATE OR REPLACE MACRO plan_fraction_class(p_programme_id, p_user_class, p_kind, p_as_of) AS (
    WITH own AS (
        SELECT starts, ends FROM programme_class_phase
        WHERE programme_id = p_programme_id AND user_class = p_user_class AND kind = p_kind
    ), phases AS (
        SELECT * FROM own
        UNION ALL
        SELECT starts, ends FROM programme_phase
        WHERE programme_id = p_programme_id AND kind = p_kind
          AND NOT EXISTS (SELECT 1 FROM own)
    )
    SELECT coalesce(max(greatest(0.0, least(1.0,
               (date_diff('day', starts, CAST(p_as_of AS DATE)) + 1)::DOUBLE
               / (date_diff('day', starts, ends) + 1)))), 0.0)
    FROM phases
);
