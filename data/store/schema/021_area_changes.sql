-- City scale: per-community status counts on any date without reading every household.
--
-- A household's span in household_state adds its flags to its community from
-- valid_from and takes them away again at valid_until. area_change keeps those changes summed per
-- (programme, street, community, day): the count of any status on a date is the sum of the
-- changes up to that date, a few thousand rows per programme instead of a million households.
-- The milestone columns count households whose first survey / install / verification day it
-- is (weekly_progress buckets them into weeks). Rows whose every change is zero are not kept.
--
-- It is derived from household_state only, so the one write path that refreshes the spans
-- (data.household_state.refresh) refreshes it in the same transaction, and `anju check`
-- recomputes it (data.derived at connect, after a migration). Registry leavers
-- are a handful per programme: area_status and area_milestones (queries/derived/area.sql) take
-- them out live, exactly as household_status does.

CREATE TABLE area_change (
    programme_id VARCHAR NOT NULL,
    street_id    VARCHAR,
    community_id VARCHAR,
    on_day       DATE NOT NULL,   -- '-infinity' for a household's first span
    households   BIGINT NOT NULL,
    surveyed     BIGINT NOT NULL,
    installed    BIGINT NOT NULL,
    verified     BIGINT NOT NULL,
    hazard_open  BIGINT NOT NULL,
    gas_cut      BIGINT NOT NULL,
    refused      BIGINT NOT NULL,
    surveyed_m   BIGINT NOT NULL, -- households first surveyed on on_day
    installed_m  BIGINT NOT NULL,
    verified_m   BIGINT NOT NULL
);
