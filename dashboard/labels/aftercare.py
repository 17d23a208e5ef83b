"""Labels of 资金结算, 设备状态 and 服务保障, in both languages."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {}
