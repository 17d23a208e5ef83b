"""The app's pages in menu order; each is shown only to roles that may view it (data.users.access)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page: its key in data.users.access.MATRIX (which also names its script) and its menu
    icon."""

    key: str
    icon: str

    @property
    def path(self) -> str:
        """The page's script, from the app's root."""
        return f"dashboard/pages/{self.key}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("coverage", ":material/map:"),
    PageSpec("weekly", ":material/summarize:"),
    PageSpec("overdue", ":material/alarm:"),
    PageSpec("fire_risk", ":material/local_fire_department:"),
    PageSpec("batch", ":material/event_note:"),
    PageSpec("import", ":material/upload_file:"),
    PageSpec("audit", ":material/policy:"),
    PageSpec("users", ":material/group:"),
    PageSpec("settlement", ":material/payments:"),
    PageSpec("spot_check", ":material/fact_check:"),
    PageSpec("programme_settings", ":material/tune:"),
    PageSpec("devices", ":material/sensors:"),
    PageSpec("service", ":material/support_agent:"),
    PageSpec("field", ":material/doorbell:"),
)
