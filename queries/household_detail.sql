-- name: household_detail — one household's record and its dated events as known on a date (the row a list links to).
-- params: $programme_id, $as_of (DATE), $street_ids (VARCHAR[] or NULL = all streets), $household_id
WITH h AS (
    SELECT h.*, st.name AS street_name, c.name AS community_name
    FROM household h
    LEFT JOIN region st ON st.region_id = h.street_id
    LEFT JOIN region c ON c.region_id = h.community_id
    WHERE h.programme_id = $programme_id AND h.household_id = $household_id
      AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
), ev AS (
    SELECT visited_on AS on_date, '入户安检' AS event, outcome AS detail, recorded_at
    FROM inspection WHERE programme_id = $programme_id AND household_id = $household_id
      AND visited_on <= CAST($as_of AS DATE) AND known_by(recorded_at, visited_on, $as_of)
    UNION ALL
    SELECT found_on, '发现隐患', kind, recorded_at FROM hazard
    WHERE programme_id = $programme_id AND household_id = $household_id
      AND found_on <= CAST($as_of AS DATE) AND known_by(recorded_at, found_on, $as_of)
    UNION ALL
    SELECT rectified_on, '隐患整改', kind, recorded_at FROM hazard
    WHERE programme_id = $programme_id AND household_id = $household_id
      AND rectified_on <= CAST($as_of AS DATE) AND known_by(recorded_at, found_on, $as_of)
    UNION ALL
    SELECT gas_cut_on, '停气', kind, recorded_at FROM hazard
    WHERE programme_id = $programme_id AND household_id = $household_id
      AND gas_cut_on <= CAST($as_of AS DATE) AND known_by(recorded_at, found_on, $as_of)
    UNION ALL
    SELECT gas_restored_on, '恢复供气', kind, recorded_at FROM hazard
    WHERE programme_id = $programme_id AND household_id = $household_id
      AND gas_restored_on <= CAST($as_of AS DATE) AND known_by(recorded_at, found_on, $as_of)
    UNION ALL
    SELECT installed_on, '安装', device_type, recorded_at FROM installation
    WHERE programme_id = $programme_id AND household_id = $household_id
      AND installed_on <= CAST($as_of AS DATE) AND known_by(recorded_at, installed_on, $as_of)
    UNION ALL
    SELECT verified_on, '验收', verified_by, recorded_at FROM installation
    WHERE programme_id = $programme_id AND household_id = $household_id
      AND verified_on <= CAST($as_of AS DATE) AND known_by(recorded_at, installed_on, $as_of)
)
SELECT h.household_id, h.street_name, h.community_name, h.name, h.address, h.phone,
       h.gas_type, ev.on_date, ev.event, ev.detail, ev.recorded_at
FROM h LEFT JOIN ev ON true
ORDER BY ev.on_date NULLS FIRST, ev.event;
