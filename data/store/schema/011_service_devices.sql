-- After the installation: the devices each installation put in (serial numbers),
-- what the gas company's alarm platform reports about them, and service events (seed 003:
-- hotline, repairs, 抢修, IC-card, LPG delivery, reopening checks, incidents).
--
-- Times are Beijing time (Asia/Shanghai) without a zone, as the platforms export them.

-- Serial numbers (设备编号/IMEI) of the devices an installation put in, normalised and joined
-- by ','. A device is a row of the `device` view (queries/derived/device.sql): deriving it keeps one write path (the
-- installation import) and one record of who installed what, in which batch, under which
-- warranty.
ALTER TABLE installation ADD COLUMN device_serials VARCHAR;

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
