-- After the installation (issue 13): the devices each installation put in (serial numbers),
-- what the gas company's alarm platform reports about them, and service events (seed 003:
-- hotline, repairs, 抢修, IC-card, LPG delivery, reopening checks, incidents).
--
-- Times are Beijing time (Asia/Shanghai) without a zone, as the platforms export them.

-- Serial numbers (设备编号/IMEI) of the devices an installation put in, normalised and joined
-- by ','. A device is a row of the `device` view below: deriving it keeps one write path (the
-- installation import) and one record of who installed what, in which batch, under which
-- warranty.
ALTER TABLE installation ADD COLUMN device_serials VARCHAR;

CREATE VIEW device AS
SELECT programme_id, serial, household_id, device_type, installer, batch_id, installed_on,
       warranty_until, recorded_at
FROM (
    SELECT i.*, unnest(string_split(i.device_serials, ',')) AS serial
    FROM installation i
    WHERE i.device_serials IS NOT NULL AND i.device_serials <> ''
);

-- One row per platform event. event_type: heartbeat (心跳/在线), offline (离线), alarm (报警),
-- low_battery (低电量), fault (故障), removed (拆除). handled_at: when the platform or the gas
-- company closed an alarm (处置时间), when the export gives it. The key makes re-imports idempotent.
CREATE TABLE device_event (
    programme_id     VARCHAR NOT NULL,
    serial           VARCHAR NOT NULL,
    event_type       VARCHAR NOT NULL CHECK (event_type IN (
                         'heartbeat', 'offline', 'alarm', 'low_battery', 'fault', 'removed')),
    event_at         TIMESTAMP NOT NULL,
    handled_at       TIMESTAMP,
    note             VARCHAR,
    recorded_at      TIMESTAMP,
    source_import_id VARCHAR,
    PRIMARY KEY (programme_id, serial, event_type, event_at)
);

-- Service events (seed 003). kind: 热线咨询, 报修, 抢修, 缴费/IC卡, 液化气配送, 复工安检,
-- 事故/险情, 其他. Place: the household's when known, else street/community by name or by the
-- coordinates. status is derived (open until resolved_at).
CREATE TABLE service_event (
    programme_id     VARCHAR NOT NULL,
    event_id         VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL CHECK (kind IN (
                         '热线咨询', '报修', '抢修', '缴费/IC卡', '液化气配送', '复工安检',
                         '事故/险情', '其他')),
    reported_at      TIMESTAMP NOT NULL,
    occurred_at      TIMESTAMP,
    responded_at     TIMESTAMP,
    resolved_at      TIMESTAMP,
    household_id     VARCHAR,
    street_id        VARCHAR,
    community_id     VARCHAR,
    address          VARCHAR,
    lon              DOUBLE,
    lat              DOUBLE,
    source           VARCHAR CHECK (source IN ('热线', '网格', '平台', '其他')),
    handler          VARCHAR,
    outcome          VARCHAR,
    description      VARCHAR,
    recorded_at      TIMESTAMP,
    source_import_id VARCHAR,
    PRIMARY KEY (programme_id, event_id)
);

-- Each device's state at the end of a day (Beijing time): the one definition of online /
-- offline / never reported, read by the device-health queries and the fire-risk visit list.
-- Offline: the last event is 离线 or 拆除, or the last event of any kind is older than the
-- programme's [rules] device_offline_hours (default 72). hours_silent counts from the last
-- event (from installation when there is none).
CREATE MACRO device_health(p_programme_id, p_as_of) AS TABLE
WITH cfg AS (
    SELECT coalesce((SELECT max(TRY_CAST(json_extract_string(settings,
                                   '$.rules.device_offline_hours') AS DOUBLE))
                     FROM programme WHERE programme_id = p_programme_id), 72.0) AS hours,
           CAST(CAST(p_as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP) AS day_end
), dev AS (
    SELECT d.*
    FROM device d
    WHERE d.programme_id = p_programme_id AND d.installed_on <= CAST(p_as_of AS DATE)
      AND known_by(d.recorded_at, d.installed_on, p_as_of)
), ev AS (
    SELECT e.serial,
           max(e.event_at) AS last_event_at,
           -- a tie at the same second: the worse state wins (removed, offline, fault …)
           arg_max(e.event_type, (e.event_at, CASE e.event_type
               WHEN 'removed' THEN 6 WHEN 'offline' THEN 5 WHEN 'alarm' THEN 4
               WHEN 'fault' THEN 3 WHEN 'low_battery' THEN 2 ELSE 1 END)) AS last_event_type,
           count(*) FILTER (WHERE e.event_type = 'alarm') AS alarms,
           count(*) FILTER (WHERE e.event_type = 'alarm' AND e.event_at >= cfg.day_end - INTERVAL 30 DAY) AS alarms_30d,
           count(*) FILTER (WHERE e.event_type = 'alarm'
                            AND (e.handled_at IS NULL OR e.handled_at >= cfg.day_end)) AS alarms_open,
           max(e.event_at) FILTER (WHERE e.event_type = 'alarm') AS last_alarm_at,
           max(e.event_at) FILTER (WHERE e.event_type = 'low_battery' AND e.event_at >= cfg.day_end - INTERVAL 30 DAY) AS low_battery_at,
           max(e.event_at) FILTER (WHERE e.event_type = 'fault' AND e.event_at >= cfg.day_end - INTERVAL 30 DAY) AS fault_at
    FROM device_event e, cfg
    WHERE e.programme_id = p_programme_id AND e.event_at < cfg.day_end
    GROUP BY e.serial
)
SELECT dev.programme_id, dev.serial, dev.household_id, dev.device_type, dev.installer,
       dev.batch_id, dev.installed_on, dev.warranty_until,
       ev.last_event_at, ev.last_event_type,
       round(date_diff('second', coalesce(ev.last_event_at, CAST(dev.installed_on AS TIMESTAMP)),
                       cfg.day_end) / 3600.0, 1) AS hours_silent,
       CASE
           WHEN ev.last_event_at IS NULL THEN 'never_reported'
           WHEN ev.last_event_type IN ('offline', 'removed') THEN 'offline'
           WHEN ev.last_event_at < cfg.day_end - to_microseconds(CAST(cfg.hours * 3600000000 AS BIGINT))
               THEN 'offline'
           ELSE 'online'
       END AS status,
       coalesce(ev.alarms, 0) AS alarms,
       coalesce(ev.alarms_30d, 0) AS alarms_30d,
       coalesce(ev.alarms_open, 0) AS alarms_open,
       ev.last_alarm_at, ev.low_battery_at, ev.fault_at,
       cfg.hours AS offline_hours
FROM dev CROSS JOIN cfg
LEFT JOIN ev ON ev.serial = dev.serial;
