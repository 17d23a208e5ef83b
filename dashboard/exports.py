"""The UI's door to page-table exports (documents.tables holds them, below the UI)."""

from documents.tables import excel_bytes, scope_label

__all__ = ["excel_bytes", "scope_label"]
