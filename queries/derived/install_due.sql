-- When a surveyed household is due to be installed, and how late it is.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- Each surveyed, not installed household's due date, its basis and days late (> 0: overdue).
-- due_basis, in order: 'batch', the (latest) planned day in a batch sent by the end of p_as_of,
-- removed visits not counted; 'deadline', the end of the install phase; 'survey', with no
-- install phase, p_days_after_survey days after the survey.
CREATE OR REPLACE MACRO install_due(p_programme_id, p_as_of, p_days_after_survey) AS TABLE
WITH m AS (
    SELECT household_id, street_id, community_id, surveyed_on
    FROM household_milestones(p_programme_id, CAST(p_as_of AS DATE))
    WHERE installed_on IS NULL AND surveyed_on IS NOT NULL
), planned AS (
    SELECT i.household_id, max(i.day) AS planned_on
    FROM batch_item i
    JOIN batch b ON b.batch_id = i.batch_id
    WHERE b.programme_id = p_programme_id AND b.status IN ('sent', 'confirmed')
      AND b.sent_at < CAST(p_as_of AS DATE) + INTERVAL 1 DAY AND i.removed_at IS NULL
    GROUP BY i.household_id
), deadline AS (
    SELECT max(ends) AS install_ends
    FROM programme_phase
    WHERE programme_id = p_programme_id AND kind = 'install'
), due AS (
    SELECT m.*,
           CAST(coalesce(p.planned_on, d.install_ends,
                         m.surveyed_on + to_days(CAST(p_days_after_survey AS INTEGER))) AS DATE)
               AS install_due_on,
           CASE WHEN p.planned_on IS NOT NULL THEN 'batch'
                WHEN d.install_ends IS NOT NULL THEN 'deadline'
                ELSE 'survey' END AS due_basis
    FROM m
    CROSS JOIN deadline d
    LEFT JOIN planned p ON p.household_id = m.household_id
)
SELECT *, date_diff('day', install_due_on, CAST(p_as_of AS DATE)) AS days_late
FROM due;
