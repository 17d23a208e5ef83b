"""Labels of 批次, 入户登记, 项目设置 and 数据导入, in both languages."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {}
