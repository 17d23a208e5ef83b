-- City scale: device_state keeps its household's lives_alone (registered as living
-- alone), as it keeps its street and community.
--
-- The 设备状态 visit list sorts isolated elderly homes first; reading lives_alone from household
-- joined every listed device (51,000 at a million households) to the million-row table before
-- the page was cut. Stored here, only the page's rows are joined to household. The same writers
-- keep it (data.device_state.refresh through data.household_state.refresh, which every writer
-- of households calls) and `anju check` compares it with the recomputation like every column.
-- A database migrated with devices in it gets the column filled at connect (data.derived).

ALTER TABLE device_state ADD COLUMN lives_alone BOOLEAN;
