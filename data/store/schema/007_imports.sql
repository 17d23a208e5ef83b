-- Imports never lose what was stored. An import that changes a record keeps the values it
-- replaced here, in full (the audit log holds the same change with phones masked, so it can be
-- shown to auditors); a boundary import keeps the region row it replaced, geometry included.

CREATE TABLE import_change (
    import_id   INTEGER NOT NULL,
    table_name  VARCHAR NOT NULL,
    record_key  VARCHAR NOT NULL,            -- key columns joined with '|'
    row_no      INTEGER,                     -- Excel row of the file that changed it
    column_name VARCHAR NOT NULL,
    old_value   VARCHAR,
    new_value   VARCHAR
);

CREATE TABLE region_version (
    region_id   VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,
    parent_id   VARCHAR,
    geom        GEOMETRY NOT NULL,
    source      VARCHAR NOT NULL,
    synthetic   BOOLEAN NOT NULL,
    replaced_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    import_id   INTEGER NOT NULL
);
