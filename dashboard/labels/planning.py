"""Labels of 批次, 入户登记, 项目设置 and 数据导入: dashboard/locale/planning.toml."""

from __future__ import annotations

from pathlib import Path

from data.message_catalogue import load_catalogue

LABELS: dict[str, dict[str, str]] = load_catalogue(
    Path(__file__).resolve().parents[1] / "locale" / "planning.toml"
)
