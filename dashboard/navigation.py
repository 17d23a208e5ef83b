"""The app's pages in menu order; each is shown only to roles that may view it (data.users.access)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page: its key in data.users.access.MATRIX, its script and its menu icon."""

    key: str
    path: str
    icon: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("coverage", "dashboard/pages/coverage.py", ":material/map:"),
    PageSpec("weekly", "dashboard/pages/weekly.py", ":material/summarize:"),
    PageSpec("overdue", "dashboard/pages/overdue.py", ":material/alarm:"),
    PageSpec("fire_risk", "dashboard/pages/fire_risk.py", ":material/local_fire_department:"),
    PageSpec("batch", "dashboard/pages/batch.py", ":material/event_note:"),
    PageSpec("import", "dashboard/pages/import.py", ":material/upload_file:"),
    PageSpec("audit", "dashboard/pages/audit.py", ":material/policy:"),
    PageSpec("users", "dashboard/pages/users.py", ":material/group:"),
    PageSpec("settlement", "dashboard/pages/settlement.py", ":material/payments:"),
    PageSpec("programme_settings", "dashboard/pages/programme_settings.py", ":material/tune:"),
    PageSpec("devices", "dashboard/pages/devices.py", ":material/sensors:"),
    PageSpec("service", "dashboard/pages/service.py", ":material/support_agent:"),
    PageSpec("field", "dashboard/pages/field.py", ":material/doorbell:"),
)
