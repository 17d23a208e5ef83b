-- City scale: each device's platform history summed up, kept by the writers.
--
-- device_health grouped every platform event of a programme on every call and
-- unnested every installation's serials (0.6–0.9 s at a million households). A device's state at
-- the end of a day depends only on its events before then, so device_state keeps, per device
-- row of the `device` view: its household's street and community, its last event (time, type),
-- its last low battery and fault, and its alarms (time, handling time, note — few per device).
-- For a day after a device's last event that row gives the exact state on that day; a device
-- with an event after the end of the day asked for (a past date) is recomputed from its own
-- events (device_state_at, queries/derived/device.sql), so every date stays exact and the latest date reads no event.
--
-- Every writer of households, installations and platform events refreshes the rows of what it
-- touched in the same transaction (data.device_state.refresh, called by
-- data.household_state.refresh and the platform-event import); `anju check --db PATH`
-- recomputes the table from the events and reports any difference. A database migrated with
-- devices in it gets its rows at connect (data.derived).

CREATE TABLE device_state (
    programme_id        VARCHAR NOT NULL,
    serial              VARCHAR NOT NULL,
    household_id        VARCHAR NOT NULL,
    street_id           VARCHAR,    -- the household's, NULL when it is unplaced or missing
    community_id        VARCHAR,
    device_type         VARCHAR NOT NULL,
    installer           VARCHAR,
    batch_id            VARCHAR,
    installed_on        DATE NOT NULL,
    warranty_until      DATE,
    last_event_at       TIMESTAMP,  -- NULL: the platform never reported the device
    last_event_type     VARCHAR,
    last_low_battery_at TIMESTAMP,
    last_fault_at       TIMESTAMP,
    alarm_list          STRUCT(event_at TIMESTAMP, handled_at TIMESTAMP, note VARCHAR)[]
);
