-- Where a household is, and how well it is known: rosters rarely carry 经纬度, so a point may
-- come from the roster itself, from the district's standard address base (标准地址库, one point
-- per building), from the phone at the first visit, or be set by hand on the 待定位 list.

-- The district's standard address base, per programme (the scope every import has).
CREATE TABLE address_point (
    programme_id     VARCHAR NOT NULL,
    point_id         VARCHAR NOT NULL,   -- 门牌/楼栋编码, else derived from the address
    address          VARCHAR NOT NULL,   -- as the file gives it (标准地址, or 路名+弄+号)
    estate           VARCHAR,            -- 小区名称
    lon              DOUBLE NOT NULL,    -- WGS84
    lat              DOUBLE NOT NULL,
    crs_in           VARCHAR,
    source_import_id VARCHAR,
    recorded_at      TIMESTAMP,
    PRIMARY KEY (programme_id, point_id)
);

-- loc_level: building | estate (lane or estate centre) | road | community (placed by name
-- only) | none. loc_source: roster | address_base | field_gps | manual. loc_score: the fuzzy
-- match's score (0-100), NULL for an exact match or a point not matched from an address.
ALTER TABLE household ADD COLUMN loc_level VARCHAR;
ALTER TABLE household ADD COLUMN loc_source VARCHAR;
ALTER TABLE household ADD COLUMN loc_score DOUBLE;

UPDATE household
SET loc_level = CASE
        WHEN lon IS NOT NULL AND lat IS NOT NULL THEN 'building'
        WHEN community_id IS NOT NULL THEN 'community'
        ELSE 'none' END,
    loc_source = CASE WHEN lon IS NOT NULL AND lat IS NOT NULL THEN 'roster' END;
