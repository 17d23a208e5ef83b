"""Programme templates (data/programmes/*.toml) loaded into the programme tables."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import duckdb

TEMPLATE_DIR = Path(__file__).parent / "programmes"


def read_template(name_or_path: str | Path) -> dict:
    """Parse a template by file name stem ('changning_2023') or path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = TEMPLATE_DIR / f"{name_or_path}.toml"
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


def load(con: duckdb.DuckDBPyConnection, template: dict) -> str:
    """Insert or replace one programme with its phases, devices and cost shares; return its id."""
    prog = template["programme"]
    pid = prog["programme_id"]
    rules = template.get("rules", {})
    settings = {k: v for k, v in prog.items() if k not in _PROGRAMME_COLUMNS} | {"rules": rules}
    # Default fire-risk weights (data.risk); edits are rows in risk_weight, never written back here.
    if "risk_weights" in template:
        settings["risk_weights"] = template["risk_weights"]
    for table in ("programme_phase", "device_type", "cost_share", "programme"):
        con.execute(f"DELETE FROM {table} WHERE programme_id = ?", [pid])
    con.execute(
        "INSERT INTO programme VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            pid,
            prog["name"],
            prog["kind"],
            prog["district_id"],
            prog["starts"],
            prog["ends"],
            prog.get("target_households"),
            rules.get("spot_check_rate"),
            rules.get("report_day"),
            prog.get("source_document"),
            json.dumps(settings, ensure_ascii=False, default=_json_default),
        ],
    )
    for no, phase in enumerate(template.get("phase", []), start=1):
        con.execute(
            "INSERT INTO programme_phase VALUES (?, ?, ?, ?, ?, ?)",
            [pid, no, phase["kind"], phase["name"], phase["starts"], phase["ends"]],
        )
    for dev in template.get("device", []):
        con.execute(
            "INSERT INTO device_type VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                pid,
                dev["device_type"],
                dev["name"],
                dev["gas_type"],
                dev["unit_price_cny"],
                dev.get("warranty_years"),
                dev.get("planned_units"),
            ],
        )
    for share in template.get("cost_share", []):
        con.execute(
            "INSERT INTO cost_share VALUES (?, ?, ?, ?)",
            [pid, share["item"], share["payer"], share["share"]],
        )
    return pid


_PROGRAMME_COLUMNS = {
    "programme_id",
    "name",
    "kind",
    "district_id",
    "starts",
    "ends",
    "target_households",
    "source_document",
}
