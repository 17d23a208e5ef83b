-- The rows of the lists a page shows whole or one page at a time (overdue_* and its *_page
-- twin, the settlement lists): one definition, so a page is always a slice of the whole list.
-- Created at connect (data.store.derived), after the migrations; not a migration.

-- Hazards still open past their rectification date (due_on) on p_as_of, known by then; a
-- hazard rectified after p_as_of was still open then. Rows of overdue_hazards(_page).
CREATE OR REPLACE MACRO overdue_hazard_list(p_programme_id, p_as_of, p_street_ids) AS TABLE
SELECT z.hazard_id, z.household_id, h.street_id, st.name AS street_name,
       h.community_id, c.name AS community_name, h.name, h.address, h.phone,
       z.kind, z.found_on, z.due_on,
       date_diff('day', z.due_on, CAST(p_as_of AS DATE)) AS days_overdue,
       coalesce(z.gas_cut_on <= CAST(p_as_of AS DATE)
                AND (z.gas_restored_on IS NULL OR z.gas_restored_on > CAST(p_as_of AS DATE)),
                false) AS gas_cut
FROM hazard z
JOIN household h ON h.programme_id = z.programme_id AND h.household_id = z.household_id
LEFT JOIN region st ON st.region_id = h.street_id
LEFT JOIN region c ON c.region_id = h.community_id
WHERE z.programme_id = p_programme_id
  AND z.found_on <= CAST(p_as_of AS DATE) AND known_by(z.recorded_at, z.found_on, p_as_of)
  AND (z.rectified_on IS NULL OR z.rectified_on > CAST(p_as_of AS DATE))
  AND z.due_on < CAST(p_as_of AS DATE)
  AND (p_street_ids IS NULL OR list_contains(p_street_ids, h.street_id));

-- Gas cut-offs in force longer than p_cut_days, and restorations not done within
-- p_restore_hours of rectification (seed 001: within 24 h; dates carry no time of day, so a
-- restoration the day after rectification counts as 24 h). A late restoration stays listed
-- after it happened. Rows of overdue_gas_cuts(_page).
CREATE OR REPLACE MACRO overdue_gas_cut_list(p_programme_id, p_as_of, p_street_ids, p_cut_days,
                                             p_restore_hours) AS TABLE
WITH cuts AS (
    SELECT z.*, h.street_id, h.community_id, h.name, h.address, h.phone,
           (z.gas_restored_on IS NULL OR z.gas_restored_on > CAST(p_as_of AS DATE)) AS in_force,
           CASE WHEN z.rectified_on <= CAST(p_as_of AS DATE) THEN z.rectified_on END AS fixed_on,
           CASE WHEN z.gas_restored_on <= CAST(p_as_of AS DATE) THEN z.gas_restored_on END AS back_on
    FROM hazard z
    JOIN household h ON h.programme_id = z.programme_id AND h.household_id = z.household_id
    WHERE z.programme_id = p_programme_id AND z.gas_cut_on <= CAST(p_as_of AS DATE)
      AND known_by(z.recorded_at, z.found_on, p_as_of)
      AND (p_street_ids IS NULL OR list_contains(p_street_ids, h.street_id))
), judged AS (
    SELECT *,
           date_diff('day', gas_cut_on, coalesce(back_on, CAST(p_as_of AS DATE))) AS days_cut,
           CASE WHEN fixed_on IS NOT NULL
                THEN date_diff('day', fixed_on, coalesce(back_on, CAST(p_as_of AS DATE))) * 24
           END AS hours_to_restore
    FROM cuts
)
SELECT j.hazard_id, j.household_id, j.street_id, st.name AS street_name,
       j.community_id, c.name AS community_name, j.name, j.address, j.phone,
       j.kind, j.found_on, j.gas_cut_on, j.fixed_on AS rectified_on, j.back_on AS gas_restored_on,
       j.in_force, j.days_cut, j.hours_to_restore,
       j.in_force AND j.days_cut > p_cut_days              AS cut_too_long,
       coalesce(j.hours_to_restore > p_restore_hours, false) AS restore_late
FROM judged j
LEFT JOIN region st ON st.region_id = j.street_id
LEFT JOIN region c ON c.region_id = j.community_id
WHERE (j.in_force AND j.days_cut > p_cut_days) OR j.hours_to_restore > p_restore_hours;

-- Surveyed households not installed past their own due date (install_due), with what blocks
-- them. Rows of overdue_installs(_page).
CREATE OR REPLACE MACRO overdue_install_list(p_programme_id, p_as_of, p_street_ids,
                                             p_days_after_survey) AS TABLE
WITH m AS (
    SELECT * FROM install_due(p_programme_id, CAST(p_as_of AS DATE), p_days_after_survey)
    WHERE (p_street_ids IS NULL OR list_contains(p_street_ids, street_id)) AND days_late > 0
), s AS (
    SELECT * FROM household_status(p_programme_id, CAST(p_as_of AS DATE))
)
SELECT m.household_id, m.street_id, st.name AS street_name, m.community_id,
       c.name AS community_name, h.name, h.address, h.phone, h.gas_type,
       m.surveyed_on, m.install_due_on, m.due_basis, m.days_late,
       s.hazard_open, s.gas_cut, s.refused
FROM m
JOIN s USING (household_id)
JOIN household h ON h.programme_id = p_programme_id AND h.household_id = m.household_id
LEFT JOIN region st ON st.region_id = m.street_id
LEFT JOIN region c ON c.region_id = m.community_id;

-- Each installed household's latest spot-check result: 不合格 keeps an installation out of
-- settlement until a later 合格 re-check.
CREATE OR REPLACE MACRO latest_spot_check(p_programme_id) AS TABLE
SELECT household_id, result, checked_on, failed_items
FROM spot_check_result
WHERE programme_id = p_programme_id
QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY checked_on DESC) = 1;

-- Each street's sample month (the month its installations were done, as the sample's
-- population counts them) in the draw in force for that month: how many households were
-- sampled and how many have a recorded result. A month with no draw has no row; a street the
-- draw did not cover (installed after it) has none either.
CREATE OR REPLACE MACRO spot_check_gate(p_programme_id) AS TABLE
WITH d AS (
    -- per street, the latest draw of the month that sampled it (as spot_check_status)
    SELECT dr.month, s.street_id, max(s.draw_id) AS draw_id
    FROM spot_check_sample s
    JOIN spot_check_draw dr USING (draw_id)
    WHERE dr.programme_id = p_programme_id
    GROUP BY ALL
), done AS (
    SELECT DISTINCT household_id FROM spot_check_result WHERE programme_id = p_programme_id
)
SELECT d.month, s.street_id, count(*) AS sampled, count(done.household_id) AS checked
FROM d
JOIN spot_check_sample s ON s.draw_id = d.draw_id AND s.street_id IS NOT DISTINCT FROM d.street_id
LEFT JOIN done USING (household_id)
GROUP BY ALL;

-- Months that have a draw in force (spot_check_gate says which streets it covers).
CREATE OR REPLACE MACRO spot_check_drawn(p_programme_id) AS TABLE
SELECT DISTINCT month FROM spot_check_draw WHERE programme_id = p_programme_id;

-- Each street's month as it stands up the acceptance chain: its latest event.
CREATE OR REPLACE MACRO latest_acceptance(p_programme_id) AS TABLE
SELECT street_id, month, event
FROM acceptance_event
WHERE programme_id = p_programme_id
QUALIFY row_number() OVER (PARTITION BY street_id, month ORDER BY event_id DESC) = 1;

-- A period's installation lines (verified in [p_start, p_end), in the scope) with the
-- settlement rule: unsettled when the household opted out, its latest spot check failed, its
-- device type has no price, (p_accepted_only) its street's month is not accepted, or
-- (p_checked_only) its street's spot-check sample for the month it was installed is not drawn or
-- not every sampled household has a result. A line
-- counts under the cost item named after its device type when the programme shares such an
-- item, else under 'device' (a device type literally named 'device' and shared as such counts
-- under none, as data/money/settlement.py::compute does). home: the household row's rowid, one per
-- (programme, household), counted as an integer. Read by settlement_totals and
-- settlement_residents_page.
CREATE OR REPLACE MACRO settlement_lines(p_programme_id, p_start, p_end, p_street_ids,
                                         p_accepted_only, p_checked_only) AS TABLE
WITH shared AS (
    SELECT DISTINCT item FROM cost_share WHERE programme_id = p_programme_id
)
SELECT i.household_id, h.rowid AS home, h.street_id, i.device_type,
       strftime(i.verified_on, '%Y-%m') AS month, d.unit_price_cny AS price,
       coalesce(acc.event, '') = 'accepted' AS accepted,
       coalesce(g.checked >= g.sampled, false) AS checked,
       strftime(coalesce(i.installed_on, i.verified_on), '%Y-%m') AS sample_month,
       dm.month IS NOT NULL AS drawn, coalesce(g.sampled, 0) AS sampled,
       coalesce(g.checked, 0) AS sample_checked,
       NOT (o.reason IS NOT NULL OR coalesce(lc.result = '不合格', false)
            OR d.unit_price_cny IS NULL
            OR (p_accepted_only AND coalesce(acc.event, '') <> 'accepted')
            OR (p_checked_only AND NOT coalesce(g.checked >= g.sampled, false))) AS settled,
       CASE WHEN i.device_type IN (SELECT item FROM shared) THEN nullif(i.device_type, 'device')
            ELSE 'device' END AS item
FROM installation i
JOIN household h ON h.household_id = i.household_id
LEFT JOIN device_type d ON d.programme_id = i.programme_id AND d.device_type = i.device_type
LEFT JOIN latest_spot_check(p_programme_id) lc ON lc.household_id = i.household_id
LEFT JOIN household_opt_out o ON o.programme_id = i.programme_id AND o.household_id = i.household_id
LEFT JOIN latest_acceptance(p_programme_id) acc
    ON acc.street_id = h.street_id AND acc.month = strftime(i.verified_on, '%Y-%m')
LEFT JOIN spot_check_gate(p_programme_id) g
    ON g.street_id IS NOT DISTINCT FROM h.street_id
   AND g.month = strftime(coalesce(i.installed_on, i.verified_on), '%Y-%m')
LEFT JOIN spot_check_drawn(p_programme_id) dm
    ON dm.month = strftime(coalesce(i.installed_on, i.verified_on), '%Y-%m')
WHERE i.programme_id = p_programme_id AND h.programme_id = p_programme_id
  AND i.verified_on >= CAST(p_start AS DATE) AND i.verified_on < CAST(p_end AS DATE)
  AND (p_street_ids IS NULL OR list_contains(p_street_ids, h.street_id));
