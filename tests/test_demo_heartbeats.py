"""At city scale the demo keeps fewer heartbeats without changing any device's state
as of the demo date."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from data.demos import demo_events

AS_OF = date(2023, 7, 14)


def _devices(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    installed = np.datetime64("2023-05-20") + rng.integers(0, 50, n).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "household_id": [f"H{i}" for i in range(n)],
            "device_type": "ng_alarm_valve",
            "installed_on": pd.to_datetime(installed),
            "installer": np.where(rng.random(n) < 0.1, demo_events.BAD_CREW, "班组1"),
            "device_serials": [f"86300{i:010d}" for i in range(n)],
        }
    )


def _last(events: pd.DataFrame) -> pd.DataFrame:
    ordered = events.sort_values(["serial", "event_at", "event_type"])
    return ordered.groupby("serial").tail(1).set_index("serial")[["event_at", "event_type"]]


def test_capped_heartbeats_keep_every_state_as_of_the_demo_date(monkeypatch):
    devices = _devices(400)
    full = demo_events._device_events(np.random.default_rng(1), devices, AS_OF)
    monkeypatch.setattr(demo_events, "SCALE_DEVICES", 100)
    capped = demo_events._device_events(np.random.default_rng(1), devices, AS_OF)

    assert len(capped) < len(full) / 2
    pd.testing.assert_frame_equal(_last(capped), _last(full))
    # What is not a heartbeat is untouched; every capped heartbeat is a real one.
    other = full[full["event_type"] != "heartbeat"].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        capped[capped["event_type"] != "heartbeat"].reset_index(drop=True), other
    )
    key = ["serial", "event_at"]
    beats = full[full["event_type"] == "heartbeat"].set_index(key).index
    assert capped[capped["event_type"] == "heartbeat"].set_index(key).index.isin(beats).all()
    # Each device that ever reported keeps its first report and its last three days.
    last3 = (
        full[
            (full["event_type"] == "heartbeat")
            & (full["event_at"] >= pd.Timestamp(AS_OF) - pd.Timedelta(days=2))
        ]
        .set_index(key)
        .index
    )
    assert last3.isin(capped.set_index(key).index).all()
    first = full[full["event_type"] == "heartbeat"].groupby("serial")["event_at"].min()
    assert first.equals(
        capped[capped["event_type"] == "heartbeat"].groupby("serial")["event_at"].min()
    )
