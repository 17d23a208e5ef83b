-- name: programme_devices — the device sets a programme installs, with their items, unit price and the residents' share.
-- params: $programme_id
-- One row per device set; a programme with none set up yet gives one row with device_type NULL.
-- resident_share: the share of the device price paid by residents (seed 002: 30%), NULL if none.
SELECT d.device_type, d.name, d.gas_type, d.items, CAST(d.unit_price_cny AS DOUBLE) AS unit_price_cny,
       (SELECT sum(c.share) FROM cost_share c
        WHERE c.programme_id = p.programme_id AND c.item = 'device'
          AND c.payer IN ('居民', '居民用户', '用户')) AS resident_share
FROM programme p
LEFT JOIN device_type d ON d.programme_id = p.programme_id
WHERE p.programme_id = $programme_id
ORDER BY d.device_type;
