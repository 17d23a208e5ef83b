-- Fire-risk score weights edited by the fire-safety office (seed 004). The programme template's
-- [risk_weights] are the defaults; each edit appends a row here and the latest row per factor
-- wins, so every past weight and who set it stays on record (nothing is overwritten).

CREATE SEQUENCE risk_weight_seq;
CREATE TABLE risk_weight (
    change_id    BIGINT PRIMARY KEY DEFAULT nextval('risk_weight_seq'),
    programme_id VARCHAR NOT NULL,
    factor       VARCHAR NOT NULL,
    weight       DOUBLE NOT NULL CHECK (weight >= 0),
    changed_by   VARCHAR NOT NULL,
    changed_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);
