-- name: programme_settings — one programme's dates, install deadline and settings (JSON with its [rules]).
-- params: $programme_id
SELECT p.programme_id, p.name, p.starts, p.ends, p.report_day, CAST(p.settings AS VARCHAR) AS settings,
       (SELECT max(ends) FROM programme_phase ph
        WHERE ph.programme_id = p.programme_id AND ph.kind = 'install') AS install_ends
FROM programme p
WHERE p.programme_id = $programme_id;
