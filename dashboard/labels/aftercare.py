"""Labels of 资金结算, 设备状态 and 服务保障: dashboard/locale/aftercare.toml."""

from __future__ import annotations

from pathlib import Path

from data.message_catalogue import load_catalogue

LABELS: dict[str, dict[str, str]] = load_catalogue(
    Path(__file__).resolve().parents[1] / "locale" / "aftercare.toml"
)
