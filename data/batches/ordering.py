"""Visit order of households that have no point: by the address itself (路/弄 or 小区, 号, 室).

A household placed only by its 社区 cannot be routed, but a crew walking one lane or estate
building by building is the office's own way of going round: 华阳路 144弄 3号 before 12号, 601室
before 1202室. An address nothing can be read from is listed last and flagged for checking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geo import address, routing

BY_ROUTE = "按路线"  # a point: the crew-day's route (geo.routing.visit_order)
BY_ADDRESS = "按地址排序"  # no point; road/lane or estate read from the address
UNVERIFIED = "地址待核实"  # no point and nothing read from the address: listed last
_NUMBER = re.compile(r"\d+")


def _number(text: str) -> int:
    """The first number in a component ('144弄' → 144, '12A' → 12); none sorts last."""
    hit = _NUMBER.search(text or "")
    return int(hit.group(0)) if hit else 1 << 30


def address_key(text: object, names: Iterable[str] = ()) -> tuple[str, tuple]:
    """(order basis, sort key) of one address: lane or estate, then building and room numbers.

    `names` are prefixes to drop (the street's and community's names). Buildings sort by number
    (3号 before 12号), not as text.
    """
    parsed = address.parse(text, tuple(n for n in names if isinstance(n, str) and n))
    if not (parsed.road or parsed.estate):
        return UNVERIFIED, (1, "", 0, "", 0, "", 0, "")
    return BY_ADDRESS, (
        0,
        parsed.road,
        _number(parsed.lane),
        parsed.estate,
        _number(parsed.building),
        parsed.building,
        _number(parsed.room),
        parsed.room,
    )


def address_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Per row of `frame` (address, street_name, community_name): `order_basis` and `_key`."""
    names = zip(
        frame.get("street_name", pd.Series(None, index=frame.index)),
        frame.get("community_name", pd.Series(None, index=frame.index)),
        strict=True,
    )
    keys = [address_key(a, n) for a, n in zip(frame["address"], names, strict=True)]
    return pd.DataFrame(
        {"order_basis": [k[0] for k in keys], "_key": [k[1] for k in keys]}, index=frame.index
    )


def by_address(frame: pd.DataFrame) -> np.ndarray:
    """Positions of `frame`'s rows in address order: community, lane or estate, building, room."""
    keys = address_keys(frame)["_key"]
    rows = sorted(
        range(len(frame)),
        key=lambda i: (
            str(frame["community_id"].iloc[i] or ""),
            keys.iloc[i],
            str(frame["household_id"].iloc[i]),
        ),
    )
    return np.asarray(rows, dtype=np.int64)


def crew_day_order(stops: pd.DataFrame) -> np.ndarray:
    """Positions of one crew-day's stops in visit order: the routed points first, then the
    households without a point in address order (the crew finishes its route, then walks them)."""
    has_point = (stops["lon"].notna() & stops["lat"].notna()).to_numpy()
    pts = np.flatnonzero(has_point)
    rest = np.flatnonzero(~has_point)
    route = np.zeros(0, dtype=np.int64)
    if len(pts):
        # One building is one stop: households sharing a point are routed once, then taken in
        # address order (room by room) at that stop.
        xy = np.column_stack([stops["lon"].to_numpy(float)[pts], stops["lat"].to_numpy(float)[pts]])
        unique, stop_of = np.unique(xy, axis=0, return_inverse=True)
        stop_of = stop_of.ravel()
        in_address_order = pts[by_address(stops.iloc[pts])]
        position = {int(p): i for i, p in enumerate(in_address_order)}
        route = np.asarray(
            [
                p
                for stop in routing.visit_order(unique[:, 0], unique[:, 1])
                for p in sorted(pts[stop_of == stop], key=position.__getitem__)
            ],
            dtype=np.int64,
        )
    walk = rest[by_address(stops.iloc[rest])] if len(rest) else rest
    return np.concatenate([route, walk]).astype(np.int64)


def basis(stops: pd.DataFrame) -> list[str]:
    """Each stop's order basis: 按路线 with a point, else from its address."""
    from_address = address_keys(stops)["order_basis"]
    has_point = stops["lon"].notna() & stops["lat"].notna()
    return [BY_ROUTE if p else b for p, b in zip(has_point, from_address, strict=True)]
