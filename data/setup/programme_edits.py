"""The 项目设置 page's edits applied to a programme template (pure functions, no I/O).

The page collects widget values; `apply` turns them into a new template dict that
`data.setup.programmes.save` checks (Chinese messages), loads and audit-logs.
"""

from __future__ import annotations

import contextlib
import json
import math
from datetime import date

import pandas as pd

from data.messages import UserError
from data.setup.programme_checks import parse

PHASE_COLUMNS = ["kind", "name", "starts", "ends", "user_class"]
DEVICE_COLUMNS = [
    "device_type",
    "name",
    "gas_type",
    "unit_price_cny",
    "warranty_years",
    "planned_units",
    "user_class",
]
SHARE_COLUMNS = ["item", "payer", "share"]


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def rules_text(rules: dict) -> str:
    """The [rules] table as TOML text for editing (flat keys, as the templates write them)."""
    return "\n".join(f"{k} = {_toml_value(v)}" for k, v in rules.items())


def parse_rules(text: str) -> dict:
    """TOML text back to the rules dict; ValueError (Chinese) naming the line when it is wrong."""
    try:
        return parse(text, "[rules]")  # bounded like a programme file
    except UserError as exc:
        if exc.key == "programme.bad_toml":
            raise UserError("programme.bad_rules", detail=exc.params["detail"]) from exc
        raise


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Template rows as an editable table with fixed columns."""
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


def _clean(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def rows(table: pd.DataFrame) -> list[dict]:
    """Edited table rows without empty cells (blank rows dropped)."""
    out = []
    for record in table.to_dict("records"):
        row = {k: v for k, v in ((k, _clean(v)) for k, v in record.items()) if v is not None}
        if row:
            out.append(row)
    return out


def apply(
    template: dict,
    *,
    name: str,
    target_households: int | None,
    targets_by_gas_type: dict[str, int] | None,
    phases: pd.DataFrame,
    devices: pd.DataFrame,
    shares: pd.DataFrame,
    rules: str,
) -> dict:
    """A new template: `template` with the page's edits (untouched keys are kept)."""
    prog = dict(template["programme"])
    prog["name"] = name.strip()
    if target_households is None:
        prog.pop("target_households", None)
    else:
        prog["target_households"] = int(target_households)
    if targets_by_gas_type is not None:
        prog["targets_by_gas_type"] = {k: int(v) for k, v in targets_by_gas_type.items()}
    # Device rows keep keys the table does not show (items lists) by device_type.
    extra = {d["device_type"]: d for d in template.get("device", [])}
    new_devices = []
    for dev in rows(devices):
        keep = {
            k: v
            for k, v in extra.get(dev.get("device_type"), {}).items()
            if k not in DEVICE_COLUMNS
        }
        new_devices.append(keep | dev)
    share_rows = []
    for share in rows(shares):
        value = share.get("share")
        if isinstance(value, str) and "/" not in value:
            with contextlib.suppress(ValueError):  # left as text: validate names it
                value = float(value)
        share_rows.append(share | {"share": value})
    return template | {
        "programme": prog,
        "phase": rows(phases),
        "device": new_devices,
        "cost_share": share_rows,
        "rules": parse_rules(rules),
    }
