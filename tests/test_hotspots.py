"""geo.grid and geo.hotspots on small synthetic grids whose answers are known by construction."""

from __future__ import annotations

import itertools

import h3
import numpy as np
import pandas as pd
import pytest
import scipy.sparse
import shapely

from data.demos import demo
from data.firerisk import fire_risk
from data.store.connection import connect
from geo import grid, hotspots

CENTRE = h3.latlng_to_cell(31.2, 121.4, 9)


# ---------------------------------------------------------------- grid


@pytest.mark.parametrize(
    ("area", "res"),
    [
        (37.2, 9),  # 长宁区: 353 cells of 0.105 km²; resolution 10 would be ~2,500
        (0.5, 11),  # a village: the finest resolution offered
        (11_645, 6),  # 乌审旗: ~320 cells of 36 km²
    ],
)
def test_resolution_for_area(area: float, res: int) -> None:
    assert grid.resolution_for(area) == res


def test_resolution_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="面积"):
        grid.resolution_for(0)


def test_neighbours_are_the_present_ring() -> None:
    disk = list(h3.grid_disk(CENTRE, 1))  # the centre and its 6 neighbours
    nb = grid.neighbours(disk)
    assert sorted(nb[CENTRE]) == sorted(c for c in disk if c != CENTRE)
    outer = next(c for c in disk if c != CENTRE)
    # An outer cell touches the centre and the two outer cells on either side of it.
    assert len(nb[outer]) == 3 and CENTRE in nb[outer]
    far = h3.grid_ring(CENTRE, 5)[0]
    assert grid.neighbours([CENTRE, far]) == {CENTRE: [], far: []}


def test_cells_and_polygons() -> None:
    lon, lat = h3.cell_to_latlng(CENTRE)[::-1]
    cells = grid.cells_for_points([lon, np.nan], [lat, 31.0], 9)
    assert cells.tolist() == [CENTRE, None]
    poly = grid.cell_polygons([CENTRE])[0]
    assert poly.contains(shapely.Point(lon, lat))
    assert grid.cell_centres([CENTRE])[0] == pytest.approx([lon, lat])


# ---------------------------------------------------------------- FDR and classes


def test_benjamini_hochberg_by_hand() -> None:
    # sorted 0.005 0.01 0.03 0.04 (m = 4): ×4/1 = 0.02, ×4/2 = 0.02, ×4/3 = 0.04, ×4/4 = 0.04
    got = hotspots.fdr_bh(np.array([0.01, 0.04, 0.03, 0.005, np.nan]))
    assert got[:4] == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert np.isnan(got[4])


def test_classes_by_sign_and_corrected_p() -> None:
    z = np.array([3.0, 2.0, 1.0, -3.0, -2.0, 2.0, np.nan])
    p = np.array([0.005, 0.03, 0.08, 0.009, 0.06, 0.5, np.nan])
    assert hotspots.classify(z, p).tolist() == [
        "hot_99",
        "hot_95",
        "hot_90",
        "cold_99",
        "cold_90",
        "ns",
        "ns",
    ]
    assert hotspots.at_least(["hot_99", "hot_95", "hot_90", "cold_99", "ns"], 95).tolist() == [
        True,
        True,
        False,
        False,
        False,
    ]


# ---------------------------------------------------------------- Gi*


def _grid_values(rng: np.random.Generator) -> tuple[list[str], np.ndarray, set[str]]:
    """331 cells (radius 10 around CENTRE), N(10, 2) noise, +6 on a 7-cell cluster off-centre."""
    cells = list(h3.grid_disk(CENTRE, 10))
    cluster = set(h3.grid_disk(h3.grid_ring(CENTRE, 5)[0], 1))
    y = rng.normal(10.0, 2.0, len(cells)) + np.array([6.0 if c in cluster else 0 for c in cells])
    return cells, y, cluster


def test_gi_star_finds_a_known_cluster_at_95() -> None:
    cells, y, cluster = _grid_values(np.random.default_rng(7))
    got = hotspots.gi_star(y, grid.neighbours(cells))
    hot = set(got.index[hotspots.at_least(got["cls"], 95)])
    core = h3.grid_ring(CENTRE, 5)[0]
    assert core in hot
    assert len(hot & cluster) >= 6  # the cluster's centre and its ring (all 7 here)
    # Hot cells beyond the cluster can only be its direct neighbours (their Gi* sees it).
    rim = set(h3.grid_disk(core, 2))
    assert hot <= rim
    # The noise itself has a chance cold patch here (exact p 0.001): one false discovery
    # among eight is within what a 5% false-discovery rate allows.
    assert hotspots.at_least(got["cls"], 95, "cold").sum() <= 1
    assert (got.loc[list(cluster), "z"] > 0).all()
    # Reruns are identical: p is counted over all arrangements, not sampled.
    again = hotspots.gi_star(y, grid.neighbours(cells))
    pd.testing.assert_frame_equal(got, again)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # esda on its future default
def test_gi_z_is_esdas_analytic_z() -> None:
    """gi_z is Getis and Ord's Gi* z under random placement, as esda computes it (Zs)."""
    import esda
    import libpysal

    cells, y, _ = _grid_values(np.random.default_rng(11))
    nb = grid.neighbours(cells)
    at = {c: i for i, c in enumerate(cells)}
    w = libpysal.weights.W(
        {at[c]: [at[j] for j in nb[c]] for c in cells},
        id_order=list(range(len(cells))),
        silence_warnings=True,
    )
    g = esda.G_Local(y, w, transform="B", permutations=0, star=True)
    assert hotspots.gi_z(y, w.sparse) == pytest.approx(g.Zs, abs=1e-9)
    # Every place a neighbour of every other: each sum is the total, nothing left to test.
    everyone = scipy.sparse.csr_array(np.ones((3, 3)) - np.eye(3))
    assert np.isnan(hotspots.gi_z(np.array([1.0, 2.0, 4.0]), everyone)).all()


def test_exact_p_counts_every_arrangement() -> None:
    """On nine places, p is the share of all m-subsets whose sum is as far from the mean."""
    rng = np.random.default_rng(0)
    n = 9
    for trial in range(6):
        # whole numbers with ties (both tails tie exactly), then a skewed spread
        y = rng.integers(0, 5, n).astype(float) if trial % 2 else rng.gamma(1.0, 3.0, n)
        adj = np.triu((rng.random((n, n)) < 0.35).astype(float), 1)
        adj[np.arange(n - 1), np.arange(1, n)] = 1.0  # a chain, so no place is alone
        adj = adj + adj.T
        b = np.rint((y - y.min()) / np.ptp(y) * (hotspots.STEPS - 1))  # the steps it counts on
        got = hotspots.exact_p(y, scipy.sparse.csr_array(adj))
        for i in range(n):
            m = int(adj[i].sum()) + 1
            sums = np.array([b[list(c)].sum() for c in itertools.combinations(range(n), m)])
            far = np.abs(n * sums - m * b.sum()) >= abs(n * (b[i] + adj[i] @ b) - m * b.sum())
            assert got[i] == pytest.approx(far.mean(), abs=1e-12), (trial, i)


@pytest.fixture(scope="module")
def demo_cells(demo_db) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The demo's analysed H3 cells: ids, mean risk score, and which lie in a planted cluster."""
    con = connect(demo_db)
    try:
        units = fire_risk.analyse(con, demo.PROGRAMME, demo.AS_OF, level="h3").units
    finally:
        con.close()
    units = units[units["households"] >= hotspots.MIN_COUNT]
    lon, lat = units["lon"].to_numpy(), units["lat"].to_numpy()
    gap = np.full(len(units), np.inf)
    for cl in demo.PLANTED_CLUSTERS:
        gap = np.minimum(gap, grid.distance_m(lon, lat, cl.lon, cl.lat) - cl.radius_m)
    return list(units["unit_id"]), units["mean_value"].to_numpy(), gap <= 0


def test_gi_star_on_shuffled_demo_values_rarely_shows_a_spot(demo_cells) -> None:
    """The demo's cell means, shuffled over its cells 200 times: no spatial structure is left,
    so a map with any spot at 95% (hot or cold) should come up in at most 5% of runs.

    The normal p of z showed one on 144 of these 200 maps (a few cluster cells hold extreme
    values, and the normal's tail is far too thin for neighbourhoods that draw them); the
    exact p shows one on 8 (3.9% over 1,000 shuffles). The unshuffled values still give 12 of
    the 13 planted cluster cells at 95%.
    """
    cells, y, planted = demo_cells
    nb = grid.neighbours(cells)
    got = hotspots.gi_star(y, nb)
    assert planted.sum() == 13
    assert (hotspots.at_least(got["cls"], 95) & planted).sum() >= 12
    runs = 200
    shown = {95: 0, 90: 0}
    for seed in range(runs):
        got = hotspots.gi_star(np.random.default_rng(seed).permutation(y), nb)
        for conf in shown:
            spot = hotspots.at_least(got["cls"], conf) | hotspots.at_least(got["cls"], conf, "cold")
            shown[conf] += bool(spot.any())
    assert shown[95] <= 0.05 * runs, shown
    assert shown[90] <= 0.10 * runs, shown


def test_gi_star_skips_islands_and_flat_data() -> None:
    far = h3.grid_ring(CENTRE, 8)[0]
    cells = [*h3.grid_disk(CENTRE, 2), far]
    y = np.r_[np.random.default_rng(1).normal(10, 2, len(cells) - 1), 50.0]
    got = hotspots.gi_star(y, grid.neighbours(cells))
    assert np.isnan(got.loc[far, "z"]) and got.loc[far, "cls"] == "ns"
    flat = hotspots.gi_star(np.ones(len(cells)), grid.neighbours(cells))
    assert (flat["cls"] == "ns").all()
    with pytest.raises(ValueError, match="不一致"):
        hotspots.gi_star(np.ones(3), grid.neighbours(cells))


def test_cell_hotspots_aggregates_points_and_leaves_out_small_cells() -> None:
    rng = np.random.default_rng(3)
    cells = list(h3.grid_disk(CENTRE, 4))
    small = cells[-1]
    lon, lat, value = [], [], []
    for c in cells:
        k = 3 if c == small else 8
        x, y = h3.cell_to_latlng(c)[::-1]
        lon += [x] * k
        lat += [y] * k
        value += list(rng.normal(10, 1, k))
    got = hotspots.cell_hotspots(np.array(lon), np.array(lat), np.array(value), 9)
    assert len(got) == len(cells)
    row = got.set_index("cell").loc[small]
    assert row["households"] == 3 and row["cls"] == hotspots.TOO_FEW and np.isnan(row["z"])
    assert got.set_index("cell").loc[CENTRE, "households"] == 8


def test_queen_contiguity_counts_corners() -> None:
    # A 3 × 3 block of unit squares: the centre touches all 8, a corner square touches 3.
    squares = [shapely.box(x, y, x + 1, y + 1) for y in range(3) for x in range(3)]
    ids = [f"Q{i}" for i in range(9)]
    nb = hotspots.contiguity(squares, ids)
    assert len(nb["Q4"]) == 8
    assert nb["Q0"] == ["Q1", "Q3", "Q4"]


def test_region_hotspots_on_a_block_of_squares() -> None:
    squares = [shapely.box(x, y, x + 1, y + 1) for y in range(8) for x in range(8)]
    shapes = pd.DataFrame(
        {"region_id": [f"R{i:02d}" for i in range(64)], "geom_wkb": shapely.to_wkb(squares)}
    )
    rng = np.random.default_rng(5)
    ids, values = [], []
    for i in range(64):
        x, y = i % 8, i // 8
        high = x >= 5 and y >= 5  # the 3 × 3 corner block is high-risk
        ids += [f"R{i:02d}"] * 10
        values += list(rng.normal(20 if high else 10, 2, 10))
    got = hotspots.region_hotspots(np.array(ids), np.array(values), shapes)
    hot = set(got.loc[hotspots.at_least(got["cls"], 95), "region_id"])
    assert "R63" in hot and "R54" in hot  # inside the block
    assert not hot & {"R00", "R07", "R56"}  # far corners
