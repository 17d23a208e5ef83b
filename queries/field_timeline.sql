-- name: field_timeline — one household's dated events, newest first: visits, hazards, gas cut / restored, installations (serials, warranty), verification, spot checks, batch plans.
-- params: $programme_id, $household_id, $street_ids (VARCHAR[] or NULL = all streets)
-- A household outside the scope gives no rows (the caller also refuses it). Withdrawn
-- field entries are no longer in the event tables; they are listed from field_entry.
WITH ev AS (
    SELECT visited_on AS on_date, '入户检查' AS event,
           CASE outcome WHEN 'ok' THEN '正常' WHEN 'hazard' THEN '有隐患' WHEN 'refused' THEN '拒绝'
                WHEN 'not_home' THEN '不在家' WHEN 'unfixable' THEN '无法整改' END
           || coalesce('；' || note, '') AS what, source_import_id AS source, recorded_at AS at
    FROM inspection WHERE programme_id = $programme_id AND household_id = $household_id
    UNION ALL
    SELECT found_on, '发现隐患', kind || coalesce('；整改期限 ' || due_on, ''), source_import_id,
           recorded_at
    FROM hazard WHERE programme_id = $programme_id AND household_id = $household_id
    UNION ALL
    SELECT rectified_on, '隐患整改', kind, source_import_id, rectified_recorded_at
    FROM hazard WHERE programme_id = $programme_id AND household_id = $household_id
      AND rectified_on IS NOT NULL
    UNION ALL
    SELECT gas_cut_on, '停气', kind, source_import_id, gas_cut_recorded_at
    FROM hazard WHERE programme_id = $programme_id AND household_id = $household_id
      AND gas_cut_on IS NOT NULL
    UNION ALL
    SELECT gas_restored_on, '恢复供气', kind, source_import_id, restored_recorded_at
    FROM hazard WHERE programme_id = $programme_id AND household_id = $household_id
      AND gas_restored_on IS NOT NULL
    UNION ALL
    SELECT i.installed_on, '安装',
           coalesce(d.name, i.device_type) || coalesce('；序列号 ' || i.device_serials, '')
           || coalesce('；安装人 ' || i.installer, '')
           || coalesce('；质保至 ' || i.warranty_until, ''), i.source_import_id, i.recorded_at
    FROM installation i
    LEFT JOIN device_type d ON d.programme_id = i.programme_id AND d.device_type = i.device_type
    WHERE i.programme_id = $programme_id AND i.household_id = $household_id
    UNION ALL
    SELECT verified_on, '街道验收', coalesce(verified_by, ''), source_import_id,
           verified_recorded_at
    FROM installation WHERE programme_id = $programme_id AND household_id = $household_id
      AND verified_on IS NOT NULL
    UNION ALL
    SELECT checked_on, '抽查', result || coalesce('；' || failed_items, ''), NULL, NULL
    FROM spot_check_result WHERE programme_id = $programme_id AND household_id = $household_id
    UNION ALL
    SELECT i.day, '列入批次', b.batch_id || ' 第' || i.crew || '组 第' || i.seq || '户'
           || coalesce('；原因：' || i.reason, '')
           || CASE WHEN i.removed_at IS NOT NULL THEN '（已移出）' ELSE '' END, NULL, NULL
    FROM batch_item i JOIN batch b USING (batch_id)
    WHERE b.programme_id = $programme_id AND i.household_id = $household_id
    UNION ALL
    SELECT effective_on, CASE change WHEN 'added' THEN '列入登记册' WHEN 'left' THEN '离开登记册'
                              ELSE '更换帮扶人' END,
           CASE change WHEN 'left' THEN json_extract_string(detail, '$.reason')
                WHEN 'helper' THEN coalesce(json_extract_string(detail, '$.old.helper_name'), '—')
                     || ' → ' || json_extract_string(detail, '$.new.helper_name')
                     || '（' || json_extract_string(detail, '$.new.helper_type') || '）'
                ELSE '走访中发现' END || '；' || changed_by, NULL, NULL
    FROM registry_change WHERE programme_id = $programme_id AND household_id = $household_id
    UNION ALL
    SELECT CAST(occurred_at AS DATE), '已撤回的登记',
           -- the entry's kind in the words of the page (data.fieldwork.field_common.KINDS)
           CASE kind WHEN 'visit' THEN '入户检查' WHEN 'refusal' THEN '拒绝入户'
                WHEN 'rectified' THEN '隐患整改' WHEN 'gas_cut' THEN '停气'
                WHEN 'gas_restored' THEN '恢复供气' WHEN 'installation' THEN '安装'
                WHEN 'verification' THEN '街道验收' WHEN 'helper_visit' THEN '帮扶走访'
                ELSE kind END || '；撤回原因：' || withdrawn_reason, 'field:' || entry_id, occurred_at
    FROM field_entry WHERE programme_id = $programme_id AND household_id = $household_id
      AND withdrawn_at IS NOT NULL
)
SELECT on_date, event, what,
       CASE WHEN source LIKE 'field:%' THEN '入户登记 #' || substr(source, 7)
            WHEN source IS NULL THEN '' ELSE '导入' END AS source
FROM ev
-- within a day, newest first: a field entry by when it happened, else when it was recorded
LEFT JOIN field_entry fe ON ev.source = 'field:' || fe.entry_id
WHERE EXISTS (SELECT 1 FROM household h WHERE h.programme_id = $programme_id
              AND h.household_id = $household_id
              AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id)))
ORDER BY on_date DESC NULLS LAST, coalesce(fe.occurred_at, ev.at) DESC NULLS LAST, event;
