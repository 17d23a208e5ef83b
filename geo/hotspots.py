"""Getis-Ord Gi* hot and cold spots with permutation inference and a false-discovery-rate correction.

A hotspot is a place whose value, together with its neighbours', is higher than spatial
randomness would give: the variable is an intensity (mean risk per household), not a count, so
dense areas are not hot just because many people live there.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import shapely
from scipy import sparse, stats

from geo import grid

# (confidence, significance) from strongest to weakest; classes are named hot_99 … cold_90.
LEVELS = ((99, 0.01), (95, 0.05), (90, 0.10))
NOT_SIGNIFICANT = "ns"
TOO_FEW = "too_few"  # fewer households than min_count: neither analysed nor shown
MIN_COUNT = 5
PERMUTATIONS = 9999
SEED = 20240520  # 潼玉府发〔2024〕13号's date: any fixed seed makes reruns identical

CLASS_LABELS = {
    "hot_99": "热点（99%）",
    "hot_95": "热点（95%）",
    "hot_90": "热点（90%）",
    NOT_SIGNIFICANT: "不显著",
    "cold_90": "冷点（90%）",
    "cold_95": "冷点（95%）",
    "cold_99": "冷点（99%）",
    TOO_FEW: "户数不足 5 户（不分析、不显示）",
}


def fdr_bh(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN stays NaN."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


def classify(z: np.ndarray, p_adj: np.ndarray) -> np.ndarray:
    """hot_99 / hot_95 / hot_90 / cold_… by the sign of z and the corrected p; ns otherwise."""
    z = np.asarray(z, dtype=float)
    p_adj = np.asarray(p_adj, dtype=float)
    out = np.full(z.shape, NOT_SIGNIFICANT, dtype=object)
    for conf, alpha in reversed(LEVELS):  # weakest first, so stronger levels overwrite
        sig = ~np.isnan(p_adj) & (p_adj <= alpha)
        out[sig & (z > 0)] = f"hot_{conf}"
        out[sig & (z < 0)] = f"cold_{conf}"
    return out


def confidence(cls: str) -> int | None:
    """99 / 95 / 90 for a significant class, None otherwise."""
    head, _, tail = str(cls).partition("_")
    return int(tail) if head in ("hot", "cold") and tail.isdigit() else None


def at_least(classes: pd.Series | np.ndarray, conf: int, kind: str = "hot") -> np.ndarray:
    """Which classes are `kind` spots at `conf`% confidence or stronger."""
    return np.array(
        [str(c).startswith(kind + "_") and (confidence(c) or 0) >= conf for c in classes],
        dtype=bool,
    )


def gi_star(
    y: np.ndarray,
    neighbours: dict[object, list[object]],
    *,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    p_from: str = "z",
) -> pd.DataFrame:
    """Gi* (self included, binary weights) for values `y` keyed like `neighbours` (same order).

    Inference is by conditional permutation (each place's value fixed, the others shuffled): z
    is the observed Gi* standardised by the mean and spread of its permutation distribution,
    taken in closed form (`conditional_z`: what esda's z_sim tends to as permutations
    grow, without their cost or their noise), p its two-sided normal p-value (hot and cold are
    both looked for), p_adj the Benjamini–Hochberg correction over all tested places, cls the
    class. p_from="rank" classifies by esda's rank-based pseudo p-value (p_rank, `permutations`
    shuffles) instead: exact, but on real data the strongest places are themselves in the
    shuffled pool, so its tails are heavy and, after the correction over a few hundred places,
    it misses the rim of a cluster (on the demo at 95% it finds about half of the planted cells
    where p finds 12 of 13). Measured on 100 shuffles of a 331-cell grid, the share of runs
    with any false 95% spot was 7% (normal data) and 12% (data holding a strong cluster's
    values) for p, 0% for p_rank. The default favours finding real clusters: the list sends
    people on visits, and a missed cluster costs more than one extra visit.
    Places with no neighbour are not tested (NaN, ns): alone, Gi* only restates their value.
    """
    if p_from not in ("z", "rank"):
        raise ValueError(f"p_from 只能是 'z' 或 'rank'：{p_from!r}")
    ids = list(neighbours)
    y = np.asarray(y, dtype=float)
    if len(ids) != len(y):
        raise ValueError(f"值的个数（{len(y)}）与空间单元个数（{len(ids)}）不一致")
    out = pd.DataFrame(
        {"z": np.nan, "p": np.nan, "p_rank": np.nan, "p_adj": np.nan, "cls": NOT_SIGNIFICANT},
        index=ids,
    )
    linked = [i for i in ids if neighbours[i]]
    if len(linked) < 3 or np.nanstd(y) == 0:
        return out
    pos = {i: k for k, i in enumerate(ids)}
    at = {i: k for k, i in enumerate(linked)}
    pairs = [(at[i], at[j]) for i in linked for j in neighbours[i] if j in at]
    rows, cols = np.array(pairs, dtype=np.int64).reshape(-1, 2).T
    links = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(linked), len(linked)))
    links.sum_duplicates()
    links.data[:] = 1.0  # binary weights, however often a pair was listed
    yy = y[[pos[i] for i in linked]]
    z = conditional_z(yy, links)
    p = np.minimum(1.0, 2 * stats.norm.sf(np.abs(z)))
    if p_from == "rank":
        out.loc[linked, "p_rank"] = _rank_p(yy, links, permutations, seed)
    p_adj = fdr_bh(p if p_from == "z" else out.loc[linked, "p_rank"].to_numpy(dtype=float))
    out.loc[linked, "z"] = z
    out.loc[linked, "p"] = p
    out.loc[linked, "p_adj"] = p_adj
    out.loc[linked, "cls"] = classify(z, p_adj)
    return out


def _rank_p(y: np.ndarray, links, permutations: int, seed: int) -> np.ndarray:
    """esda's two-sided rank-based pseudo p-value of Gi* (`permutations` conditional shuffles).

    Imported here: esda and libpysal cost seconds to import, and only this option needs them.
    """
    import esda
    import libpysal

    w = libpysal.weights.WSP(sparse.csr_matrix(links)).to_W(silence_warnings=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda warns about its own defaults (islands, numba)
        g = esda.G_Local(
            y, w, transform="B", permutations=permutations, star=True, seed=seed, n_jobs=1
        )
    return np.minimum(1.0, 2 * np.asarray(g.p_sim, dtype=float))


def conditional_z(y: np.ndarray, links) -> np.ndarray:
    """Gi* z under conditional permutation, from the distribution's exact moments.

    `links` is the binary neighbour matrix (no self-links, scipy sparse). With y_i fixed, the
    k_i neighbours' values are k_i draws without replacement from the other n - 1 values (mean
    m_i, variance s²_i): the neighbourhood sum has mean y_i + k_i·m_i and variance
    k_i·s²_i·(n-1-k_i)/(n-2). Gi*'s denominator (the sum of all y) is the same in every
    permutation, so it cancels. NaN where the spread is zero (every other place a neighbour).
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    k = np.asarray(links.sum(axis=1), dtype=float).ravel()
    others = n - 1
    mean_others = (y.sum() - y) / others
    var_others = ((y**2).sum() - y**2) / others - mean_others**2
    spread = k * np.maximum(var_others, 0.0) * (others - k) / max(others - 1, 1)
    observed = y + links @ y
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (observed - (y + k * mean_others)) / np.sqrt(spread)
    return np.where(spread > 0, z, np.nan)


def _summarise(frame: pd.DataFrame, key: str, value: str) -> pd.DataFrame:
    agg = frame.groupby(key, sort=True)[value].agg(["size", "mean", "sum"])
    return agg.rename(columns={"size": "households", "mean": "mean_value", "sum": "total_value"})


def cell_hotspots(
    lon: np.ndarray,
    lat: np.ndarray,
    value: np.ndarray,
    resolution: int,
    *,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Gi* on the mean `value` of the points in each H3 cell at `resolution`.

    Cells with fewer than `min_count` points are left out of the analysis (a mean of two
    households is mostly noise, and the map may not show them anyway) and classed too_few.
    One row per occupied cell: cell, households, mean_value, total_value, z, p, p_rank, p_adj,
    cls, and lon/lat of the cell centre.
    """
    cells = grid.cells_for_points(lon, lat, resolution)
    frame = pd.DataFrame({"cell": cells, "value": np.asarray(value, dtype=float)}).dropna()
    return cell_hotspots_from_sums(
        _summarise(frame, "cell", "value"),
        min_count=min_count,
    )


def unit_sums(unit_ids, households, total_value) -> pd.DataFrame:
    """Counts and sums per unit (as counted in SQL), indexed by unit id in sorted order: the
    frame `cell_hotspots_from_sums` / `region_hotspots_from_sums` take. The mean is the sum over
    the count, as pandas' groupby mean computes it."""
    agg = pd.DataFrame(
        {
            "households": np.asarray(households, dtype="int64"),
            "mean_value": np.asarray(total_value, dtype=float)
            / np.asarray(households, dtype=float),
            "total_value": np.asarray(total_value, dtype=float),
        },
        index=pd.Index(list(unit_ids), dtype=object),
    )
    return agg.sort_index()


def cell_hotspots_from_sums(
    agg: pd.DataFrame,
    *,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """`cell_hotspots` from the counts and sums per cell (`unit_sums`, index: cell ids)."""
    big = agg.index[agg["households"] >= min_count]
    result = gi_star(
        agg.loc[big, "mean_value"].to_numpy(),
        grid.neighbours(big),
    )
    out = agg.join(result, how="left")
    out["cls"] = out["cls"].fillna(TOO_FEW)
    centres = grid.cell_centres(out.index)
    out["lon"], out["lat"] = centres[:, 0], centres[:, 1]
    return out.rename_axis("cell").reset_index()


def contiguity(geoms: list[shapely.Geometry], ids: list[object], tolerance: float = 1e-7) -> dict:
    """Queen contiguity (sharing an edge or a corner) of polygons, within `tolerance` degrees.

    Tolerant because boundaries digitised or clipped separately rarely share exact vertices.
    """
    tree = shapely.STRtree(geoms)
    grown = shapely.buffer(np.asarray(geoms, dtype=object), tolerance)
    left, right = tree.query(grown, predicate="intersects")
    out: dict[object, list[object]] = {i: [] for i in ids}
    for a, b in zip(left, right, strict=True):
        if a != b:
            out[ids[a]].append(ids[b])
    return {i: sorted(set(v), key=str) for i, v in out.items()}


def region_hotspots(
    region_ids: np.ndarray,
    value: np.ndarray,
    shapes: pd.DataFrame,
    *,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Gi* on the mean `value` per region (e.g. community), Queen contiguity between regions.

    `shapes` has region_id and geom_wkb (as from the region_shapes query). Regions with fewer
    than `min_count` points are classed too_few and left out; regions without points are absent.
    """
    frame = pd.DataFrame({"region_id": region_ids, "value": np.asarray(value, dtype=float)})
    return region_hotspots_from_sums(
        _summarise(frame.dropna(), "region_id", "value"),
        shapes,
        min_count=min_count,
    )


def region_hotspots_from_sums(
    agg: pd.DataFrame,
    shapes: pd.DataFrame,
    *,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """`region_hotspots` from the counts and sums per region (`unit_sums`, index: region ids)."""
    geoms = dict(
        zip(
            shapes["region_id"],
            shapely.from_wkb([bytes(b) for b in shapes["geom_wkb"]]),
            strict=True,
        )
    )
    big = [r for r in agg.index if agg.at[r, "households"] >= min_count and r in geoms]
    result = gi_star(
        agg.loc[big, "mean_value"].to_numpy(),
        contiguity([geoms[r] for r in big], big),
    )
    out = agg.join(result, how="left")
    out["cls"] = out["cls"].fillna(TOO_FEW)
    return out.rename_axis("region_id").reset_index()
