-- City scale: each household's H3 cell at every resolution Gi* may use, kept by the
-- writers.
--
-- 火灾风险's Gi* needs per-unit counts and sums of the stored scores (fire_risk_score, migration
-- 019), but read every household's point (fire_risk_points, 2 s at a million households) and
-- ran h3 on each in Python, on every view. A household's cell only changes when its point does,
-- so the cells are stored here, one column per resolution grid.resolution_for may choose
-- (geo.grid.RESOLUTIONS, 4 to 11): a cell is computed from the point at its own resolution,
-- never as the parent of a finer cell (H3 children do not tile their parent exactly).
-- The H3 index is kept as its 64-bit integer (h3.str_to_int); geo.grid speaks hex strings.
--
-- Only households with both coordinates have a row. data.household_state.refresh (the one write
-- path of household rows) refreshes the rows of the households it refreshes
-- (data/household_cell.py: h3 is Python, so the cells are computed there); `anju check
-- --db PATH` recomputes them from the points and reports any difference. A database migrated
-- with households in it gets its cells at connect (data.derived).

CREATE TABLE household_cell (
    programme_id VARCHAR NOT NULL,
    household_id VARCHAR NOT NULL,
    lon          DOUBLE NOT NULL,   -- the point the cells were computed from
    lat          DOUBLE NOT NULL,
    h3_r4        BIGINT NOT NULL,
    h3_r5        BIGINT NOT NULL,
    h3_r6        BIGINT NOT NULL,
    h3_r7        BIGINT NOT NULL,
    h3_r8        BIGINT NOT NULL,
    h3_r9        BIGINT NOT NULL,
    h3_r10       BIGINT NOT NULL,
    h3_r11       BIGINT NOT NULL
);

-- The spans carry their household's cells (NULL without a point), so Gi*'s counts per cell
-- (fire_risk_cells) and the visit list's hotspot (fire_risk_visits) read one table, with no
-- join of a million households. fire_risk_compute (queries/derived/fire_risk.sql) joins them:
-- data.household_state.refresh refreshes a household's cells before its scores.
ALTER TABLE fire_risk_score ADD COLUMN h3_r4 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r5 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r6 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r7 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r8 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r9 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r10 BIGINT;
ALTER TABLE fire_risk_score ADD COLUMN h3_r11 BIGINT;
