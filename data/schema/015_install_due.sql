-- Issue 17 (逾期 → 排摸后未安装): when a surveyed household is due to be installed, so that the
-- overdue list is what is late *for that household* rather than everyone surveyed a month ago.
--
-- due_on, in order:
--   1. 'batch'    — the planned day of the household's visit in a batch sent to the gas company
--                   by the end of p_as_of (the latest such day when it is in several; a removed
--                   visit does not count): the household was promised that day;
--   2. 'deadline' — otherwise the end of the programme's install phase (seed 000: 2023-09-30):
--                   every surveyed household must be installed by then;
--   3. 'survey'   — a programme with no install phase: p_days_after_survey days after the survey.
-- days_late > 0 is overdue. Households not surveyed, or already installed, are not listed.
CREATE MACRO install_due(p_programme_id, p_as_of, p_days_after_survey) AS TABLE
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
