"""Importing the files street offices and gas companies have: rosters, confirmation tables,
inspection and hazard ledgers, boundaries. Pure (no UI); the page and the CLI call `run`.

    result = importing.run(con, "households", "花名册.xlsx", data, "changning_2023", user)
    result.counts()        # {"loaded": …, "updated": …, "unchanged": …, "rejected": …}
    importing.run(..., commit=True)   # one transaction: import_log, rows, rejected_row, audit
"""

from __future__ import annotations

import duckdb

from data.importing import address_points, checks, core, events, households, mapping, service
from data.importing.read import MAX_BYTES, ReadError
from data.importing.results import Rejection, Result
from data.users import access

KINDS = (
    "households",
    "installations",
    "inspections",
    "hazards",
    "boundaries",
    "device_events",
    "service_events",
    "address_points",
)
# imported on the 资金结算 page (finance, admin) and by the CLI, not on 数据导入.
FINANCE_KINDS = ("spot_checks", "confirmations")
ALL_KINDS = KINDS + FINANCE_KINDS
SPECS: dict[str, core.KindSpec] = {
    "households": households.SPEC,
    "installations": events.INSTALLATIONS,
    "inspections": events.INSPECTIONS,
    "hazards": events.HAZARDS,
    "spot_checks": checks.SPOT_CHECKS,
    "confirmations": checks.CONFIRMATIONS,
    "device_events": service.DEVICE_EVENTS,
    "service_events": service.SERVICE_EVENTS,
    "address_points": address_points.SPEC,
}
EXTENSIONS = {
    "households": ("xlsx", "xls", "csv"),
    "installations": ("xlsx", "xls", "csv"),
    "inspections": ("xlsx", "xls", "csv"),
    "hazards": ("xlsx", "xls", "csv"),
    "boundaries": ("geojson", "json", "gpkg", "zip"),
    "spot_checks": ("xlsx", "xls", "csv"),
    "confirmations": ("xlsx", "xls", "csv"),
    "device_events": ("xlsx", "xls", "csv"),
    "service_events": ("xlsx", "xls", "csv"),
    "address_points": ("xlsx", "xls", "csv", "geojson", "json", "gpkg", "zip"),
}

__all__ = [
    "ALL_KINDS",
    "FINANCE_KINDS",
    "KINDS",
    "MAX_BYTES",
    "ReadError",
    "Rejection",
    "Result",
    "mapping",
    "run",
]


def run(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    file_name: str,
    data: bytes,
    programme_id: str,
    user: access.User,
    column_map: dict[str, str] | None = None,
    crs: str = "wgs84",
    sheet: str | None = None,
    commit: bool = False,
) -> Result:
    """Check (and with commit=True, import) one file of KIND. See data.importing.core.run."""
    if kind not in SPECS:
        raise ValueError(f"未知的导入类型 {kind!r}，可选：{', '.join(SPECS)}")
    if kind == "address_points" and address_points.is_geo_file(file_name):
        file_name, data = address_points.as_table(file_name, data)
    return core.run(
        con,
        kind,
        SPECS[kind],
        file_name,
        data,
        programme_id,
        user,
        column_map=column_map,
        crs=crs,
        sheet=sheet,
        commit=commit,
    )
