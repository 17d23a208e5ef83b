-- name: overdue_installs_summary — surveyed households not installed, counted by why they are due when (due_basis: batch / deadline / survey) and whether they are late; the 逾期 page lists the late ones and summarises the rest with this.
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $days_after_survey (INTEGER)
SELECT due_basis, days_late > 0 AS overdue, count(*) AS households,
       min(install_due_on) AS first_due_on, max(install_due_on) AS last_due_on
FROM install_due($programme_id, $as_of::DATE, $days_after_survey)
WHERE $street_ids IS NULL OR list_contains($street_ids, street_id)
GROUP BY ALL
ORDER BY overdue DESC, due_basis;
