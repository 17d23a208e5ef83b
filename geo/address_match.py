"""Match roster addresses against a district's standard address base (one WGS84 point per building).

The ladder, per roster row, coarsest last:
  building  the row's road+lane+building, or estate+building, is in the base (score 100); or a
            fuzzy match of the names inside the block of base buildings with the SAME lane and
            building numbers (score ≥ threshold, no near-tie at another place);
  estate    the centre of the base points of the row's road+lane, or of its estate;
  road      the centre of the road's points, only if they lie within `road_extent_m`;
  none      nothing the base can vouch for.
Numbers are never fuzzy: a row whose building is not in the base never gets a building point.
Pure: pandas, numpy and rapidfuzz; no DuckDB. Coordinates are WGS84 lon/lat degrees, metres.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.address import parse
from geo.crs import haversine_m

LEVELS = ("building", "estate", "road", "none")


@dataclass(frozen=True)
class MatchRules:
    """The thresholds of the ladder. Distances in metres, scores 0–100 (rapidfuzz ratio)."""

    threshold: float = 85.0  # a fuzzy score below this is a candidate, never a match
    tie_margin: float = 1.0  # another place within this of the best (or ≥ threshold) is a tie
    same_point_m: float = 50.0  # points closer than this are one building
    estate_extent_m: float = 1000.0  # a lane or estate spread wider is no single place
    road_extent_m: float = 2000.0  # a road spread wider (across the district) locates nothing
    max_candidates: int = 3  # offered to a person for rows left 待定位


@dataclass(frozen=True)
class Candidate:
    """A base building offered for a row the ladder could not place at building level."""

    address: str
    lon: float
    lat: float
    score: float


@dataclass
class AddressBase:
    """A parsed address base: one row per base point, with the keys the ladder joins on."""

    frame: pd.DataFrame
    restrict_on: str | None = None
    district_names: tuple[str, ...] = ()
    _blocks: dict[str, dict[str, np.ndarray]] = field(default_factory=dict, repr=False)

    def block(self, column: str) -> dict[str, np.ndarray]:
        """Base positions per non-empty value of `column`, built once."""
        if column not in self._blocks:
            values = self.frame[column]
            groups = pd.Series(np.arange(len(values)), index=values)
            groups = groups[values.to_numpy() != ""]
            self._blocks[column] = {k: v.to_numpy() for k, v in groups.groupby(level=0, sort=False)}
        return self._blocks[column]


def _forms(parsed: list) -> tuple[list[str], list[str]]:
    """Texts that fuzzy scoring compares: road form (road+lane+building) and estate form.

    A row whose parse found neither a road nor an estate uses its leftover text as the road
    name, so 虹桥144弄3号 (路 forgotten) still scores against 虹桥路144弄3号.
    """
    road_forms, estate_forms = [], []
    for a in parsed:
        number = f"{a.building}号" if a.building else ""
        name = a.road or ("" if a.estate else a.rest)
        road_forms.append(f"{name}{a.lane}{number}" if name else "")
        estate_forms.append(f"{a.estate}{number}" if a.estate else "")
    return road_forms, estate_forms


def _parsed_frame(texts: pd.Series, district_names: tuple[str, ...]) -> pd.DataFrame:
    parsed = [parse(t, district_names) for t in texts.to_numpy()]
    road_forms, estate_forms = _forms(parsed)
    return pd.DataFrame(
        {
            "road": [a.road for a in parsed],
            "estate": [a.estate for a in parsed],
            "building": [a.building for a in parsed],
            "road_key": [a.road_key for a in parsed],
            "estate_key": [a.estate_key for a in parsed],
            "lane_key": [a.lane_key for a in parsed],
            # 虹桥路1号 in a roster may be the gate of the compound 虹桥路1号 N号楼 in the base
            "gate_key": [
                f"{a.road}|{a.building}号" if a.road and a.building and not a.lane else ""
                for a in parsed
            ],
            "number_key": [a.number_key for a in parsed],
            "form_road": road_forms,
            "form_estate": estate_forms,
        },
        index=texts.index,
        # object, not pandas' Arrow strings: the matcher takes numpy views of these columns
        # thousands of times, and an Arrow column copies on every to_numpy.
        dtype=object,
    )


def build_base(
    base: pd.DataFrame,
    *,
    address: str = "address",
    lon: str = "lon",
    lat: str = "lat",
    estate: str | None = None,
    restrict_on: str | None = None,
    district_names: Iterable[str] = (),
) -> AddressBase:
    """Parse an address base once for many matches. Rows without a finite lon/lat are dropped.

    `estate` names a column whose non-empty value replaces the estate parsed from the address.
    `restrict_on` names a column (street or community id) that a roster may carry as well:
    a row then only matches base points with its value or none.
    """
    for col in (address, lon, lat, estate, restrict_on):
        if col is not None and col not in base.columns:
            raise ValueError(f"地址库缺少列：{col}")
    names = tuple(district_names)
    coords = base[[lon, lat]].apply(pd.to_numeric, errors="coerce")
    keep = np.isfinite(coords[lon].to_numpy()) & np.isfinite(coords[lat].to_numpy())
    src = base.loc[keep]
    frame = _parsed_frame(src[address].astype(object).where(src[address].notna(), ""), names)
    if estate is not None:
        given = src[estate].astype(object).where(src[estate].notna(), "").astype(str)
        # Estate names repeat across their buildings: parse each distinct one once.
        distinct = {v: parse(v, names).estate or v.strip() for v in pd.unique(given.to_numpy())}
        given = given.map(distinct)
        use = given.to_numpy() != ""
        frame.loc[use, "estate"] = given[use]
        buildings = frame["building"].to_numpy()
        has_b = use & (buildings != "")
        frame.loc[has_b, "estate_key"] = given[has_b] + "|" + frame.loc[has_b, "building"]
        frame.loc[use, "form_estate"] = [
            f"{e}{b}号" if b else e for e, b in zip(given[use], buildings[use], strict=True)
        ]
    frame["address"] = src[address].astype(str).to_numpy(dtype=object)
    frame["lon"] = coords.loc[keep, lon].to_numpy(dtype=np.float64)
    frame["lat"] = coords.loc[keep, lat].to_numpy(dtype=np.float64)
    frame["restrict"] = src[restrict_on].to_numpy() if restrict_on else None
    return AddressBase(frame.reset_index(drop=True), restrict_on, names)


def _compatible(row_r: object, base_r: np.ndarray) -> np.ndarray:
    """Base points a row may match: same restrict value, or either side without one."""
    if row_r is None or pd.isna(row_r):
        return np.ones(len(base_r), dtype=bool)
    return pd.isna(base_r) | (base_r == row_r)


def _groups(
    keys: np.ndarray, restrict: np.ndarray | None, base: AddressBase, column: str
) -> pd.DataFrame:
    """Per row with a key: centre, extent (bbox diagonal, m), count and first base address."""
    rows = np.flatnonzero(keys != "")
    if len(rows) == 0:
        return pd.DataFrame(columns=["lon", "lat", "extent", "n", "b"])
    left = pd.DataFrame({"row": rows, column: keys[rows]})
    bf = base.frame
    right = pd.DataFrame({column: bf[column].to_numpy(), "b": np.arange(len(bf))})
    right = right[right[column] != ""]
    pairs = left.merge(right, on=column, how="inner")
    if restrict is not None and base.restrict_on:
        row_r = pd.Series(restrict[pairs["row"].to_numpy()])
        base_r = pd.Series(bf["restrict"].to_numpy()[pairs["b"].to_numpy()])
        ok = row_r.isna().to_numpy() | base_r.isna().to_numpy() | (row_r == base_r).to_numpy()
        pairs = pairs[ok]
    pairs = pairs.assign(
        lon=bf["lon"].to_numpy()[pairs["b"].to_numpy()],
        lat=bf["lat"].to_numpy()[pairs["b"].to_numpy()],
    )
    g = pairs.groupby("row", sort=False)
    out = g.agg(
        lon=("lon", "mean"),
        lat=("lat", "mean"),
        lon0=("lon", "min"),
        lon1=("lon", "max"),
        lat0=("lat", "min"),
        lat1=("lat", "max"),
        n=("b", "size"),
        b=("b", "first"),
    )
    out["extent"] = haversine_m(out["lon0"], out["lat0"], out["lon1"], out["lat1"])
    return out[["lon", "lat", "extent", "n", "b"]]


def _score_block(
    rows: np.ndarray, cands: np.ndarray, rf: pd.DataFrame, base: AddressBase
) -> np.ndarray:
    """Fuzzy scores, rows × candidates: the better of road-form and estate-form ratios."""
    bf = base.frame
    scores = np.zeros((len(rows), len(cands)), dtype=np.float32)
    for col in ("form_road", "form_estate"):
        q = rf[col].to_numpy()[rows]
        c = bf[col].to_numpy()[cands]
        q_ok, c_ok = q != "", c != ""
        if not q_ok.any() or not c_ok.any():
            continue
        s = process.cdist(list(q), list(c), scorer=fuzz.ratio, dtype=np.float32, workers=1)
        s[~q_ok, :] = 0
        s[:, ~c_ok] = 0
        np.maximum(scores, s, out=scores)
    return scores


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if len(scores) <= k:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def match_addresses(
    rows: pd.DataFrame,
    base: AddressBase | pd.DataFrame,
    *,
    address: str = "address",
    restrict_on: str | None = None,
    rules: MatchRules | None = None,
    district_names: Iterable[str] = (),
) -> pd.DataFrame:
    """Place each roster row on the ladder building → estate → road → none.

    `base` is an AddressBase (see `build_base`) or a DataFrame with columns address, lon, lat
    (and `restrict_on` when given). `restrict_on` names a column in `rows` (street or community)
    holding the same values as the base's. Returns, indexed like `rows`: level, lon, lat, score
    (100 exact, the fuzzy ratio otherwise, NaN for none), matched (the base address, or the lane /
    estate / road whose centre was taken), via (which rung) and candidates (up to
    `rules.max_candidates` Candidate, best first, for rows not placed at building level).
    """
    rules = rules or MatchRules()
    if isinstance(base, pd.DataFrame):
        base = build_base(base, restrict_on=restrict_on, district_names=district_names)
    if address not in rows.columns:
        raise ValueError(f"花名册缺少地址列：{address}")
    if restrict_on is not None and restrict_on not in rows.columns:
        raise ValueError(f"花名册缺少列：{restrict_on}")
    names = tuple(district_names) or base.district_names
    rf = _parsed_frame(rows[address].astype(object).where(rows[address].notna(), ""), names)
    n = len(rf)
    restrict = rows[restrict_on].to_numpy() if restrict_on else None
    bf = base.frame
    b_lon, b_lat, b_addr = bf["lon"].to_numpy(), bf["lat"].to_numpy(), bf["address"].to_numpy()
    b_restrict = bf["restrict"].to_numpy() if restrict is not None and base.restrict_on else None

    level = np.full(n, "none", dtype=object)
    via = np.full(n, "", dtype=object)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    score = np.full(n, np.nan)
    matched = np.full(n, "", dtype=object)
    cands: list[dict[int, float]] = [{} for _ in range(n)]
    open_ = np.ones(n, dtype=bool)

    # 1–2. exact keys: one building, or duplicates of it within `same_point_m`.
    for column in ("road_key", "estate_key"):
        keys = np.where(open_, rf[column].to_numpy(), "")
        g = _groups(keys, restrict, base, column)
        if g.empty:
            continue
        r = g.index.to_numpy()
        one = g["extent"].to_numpy() <= rules.same_point_m
        hit = r[one]
        level[hit], via[hit], score[hit] = "building", column, 100.0
        lon[hit], lat[hit] = g["lon"].to_numpy()[one], g["lat"].to_numpy()[one]
        matched[hit] = b_addr[g["b"].to_numpy()[one]]
        open_[hit] = False
        # The same address at places far apart: a person must choose, so they are candidates.
        for row in r[~one]:
            key = keys[row]
            for b in base.block(column).get(key, ())[: rules.max_candidates * 4]:
                cands[row][int(b)] = 100.0

    # 3. fuzzy names inside the block of equal numbers, then candidates from road and estate.
    fuzzy_done = np.zeros(n, dtype=bool)
    for column in ("number_key", "road", "estate"):
        keys = rf[column].to_numpy()
        todo = np.flatnonzero(open_ & (keys != ""))
        if len(todo) == 0:
            continue
        blocks = base.block(column)
        order = pd.Series(todo).groupby(keys[todo], sort=False)
        for key, members in order:
            cand_all = blocks.get(key)
            if cand_all is None:
                continue
            members = members.to_numpy()
            scores = _score_block(members, cand_all, rf, base)
            for i, row in enumerate(members):
                s = scores[i]
                cand = cand_all
                if b_restrict is not None:
                    ok = _compatible(restrict[row], b_restrict[cand_all])
                    s, cand = s[ok], cand_all[ok]
                if len(s) == 0:
                    continue
                top = _top(s, rules.max_candidates + 2)
                for j in top:
                    b = int(cand[j])
                    if s[j] > cands[row].get(b, -1.0):
                        cands[row][b] = float(s[j])
                if column != "number_key" or fuzzy_done[row]:
                    continue
                fuzzy_done[row] = True
                best = top[0]
                if s[best] < rules.threshold:
                    continue
                # Another place within the margin, or also above the threshold, is a tie: a typo
                # can sit closer to a real neighbour (乔化中路 → 化中路) than to its own road.
                near = np.flatnonzero(s >= min(s[best] - rules.tie_margin, rules.threshold))
                d = haversine_m(
                    b_lon[cand[best]], b_lat[cand[best]], b_lon[cand[near]], b_lat[cand[near]]
                )
                if np.any(d > rules.same_point_m):
                    continue  # two places score alike: a person decides, not the matcher
                b = int(cand[best])
                level[row], via[row], score[row] = "building", "fuzzy", float(s[best])
                lon[row], lat[row], matched[row] = b_lon[b], b_lat[b], b_addr[b]
                open_[row] = False

    # 4–5. centres of a lane (or compound gate), an estate, a road — if compact enough.
    for column, base_column, lvl, extent in (
        ("lane_key", "lane_key", "estate", rules.estate_extent_m),
        ("gate_key", "lane_key", "estate", rules.estate_extent_m),
        ("estate", "estate", "estate", rules.estate_extent_m),
        ("road", "road", "road", rules.road_extent_m),
    ):
        keys = np.where(open_, rf[column].to_numpy(), "")
        g = _groups(keys, restrict, base, base_column)
        if g.empty:
            continue
        ok = g["extent"].to_numpy() <= extent
        r = g.index.to_numpy()[ok]
        level[r], via[r], score[r] = lvl, column, 100.0
        lon[r], lat[r] = g["lon"].to_numpy()[ok], g["lat"].to_numpy()[ok]
        matched[r] = [k.replace("|", "") for k in keys[r]]
        open_[r] = False

    candidates = [
        []
        if level[i] == "building"
        else [
            Candidate(str(b_addr[b]), float(b_lon[b]), float(b_lat[b]), round(s, 1))
            for b, s in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[: rules.max_candidates]
        ]
        for i, c in enumerate(cands)
    ]
    return pd.DataFrame(
        {
            "level": level,
            "lon": lon,
            "lat": lat,
            "score": score,
            "matched": matched,
            "via": via,
            "candidates": candidates,
        },
        index=rows.index,
    )


def base_conflicts(base: AddressBase | pd.DataFrame, same_point_m: float = 50.0) -> pd.DataFrame:
    """Addresses the base gives at places more than `same_point_m` apart (haversine).

    One row per conflicting key (road+lane+building, or estate+building): key, kind, n,
    max_m (largest distance between two of its points), addresses and points. A matcher never
    places a roster row on such a key; the base's owner should fix it.
    """
    if isinstance(base, pd.DataFrame):
        base = build_base(base)
    bf = base.frame
    out = []
    for column in ("road_key", "estate_key"):
        keys = bf[column].to_numpy()
        dup = pd.Series(keys)[keys != ""]
        dup = dup[dup.duplicated(keep=False)]
        for key, idx in pd.Series(dup.index.to_numpy()).groupby(dup.to_numpy(), sort=True):
            pos = idx.to_numpy()
            lo, la = bf["lon"].to_numpy()[pos], bf["lat"].to_numpy()[pos]
            d = haversine_m(lo[:, None], la[:, None], lo[None, :], la[None, :])
            far = float(np.max(d))
            if far > same_point_m:
                out.append(
                    {
                        "key": key.replace("|", "") + "号",
                        "kind": "road" if column == "road_key" else "estate",
                        "n": len(pos),
                        "max_m": round(far, 1),
                        "addresses": list(bf["address"].to_numpy()[pos]),
                        "points": list(zip(lo.tolist(), la.tolist(), strict=True)),
                    }
                )
    return pd.DataFrame(out, columns=["key", "kind", "n", "max_m", "addresses", "points"])
