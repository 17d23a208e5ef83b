"""Monthly installation batches of a street: propose, save, edit, send, confirm, close the loop.

A street office plans a month's batch (seed 002: roster to the gas company by the 10th):
candidates are the street's households not yet installed; refusals and gas cut-offs are shown
apart; the rest are ranked by switchable priority rules, cut to capacity (crews × per-day ×
working days from the official calendar), grouped into compact crew-days and put in a visit
order (geo.routing).

Status: 草稿 draft → 已下发 sent → 已确认 confirmed. Only a draft can be edited. A sent or
confirmed batch is reopened to draft with a written reason (logged, revision + 1, a
'withdrawn' batch_event) — the gas company's copy is never changed silently.

The parts, one module each: common (statuses, rules, Plan, the transaction wrapper), candidates
(who and in which order), planning (capacity, crew-days, visit order), workflow (save, send,
confirm, reopen), editing (remove, add, move in a draft), views (done marks, items, progress,
roster). Everything public is importable from `data.batches` as before.
"""

from data.batches.candidates import (
    candidates,
    month_start,
    page_note,
    prioritise,
)
from data.batches.common import (
    DEFAULT_RULES,
    GAS_TYPES,
    LOC_LEVELS,
    ROSTER_COLUMNS,
    RULES,
    STATUSES,
    BatchError,
    Plan,
)
from data.batches.editing import add_item, move_item, remove_item, resequence
from data.batches.planning import (
    chunked_travel_m,
    latest_date,
    naive_order,
    plan,
    planned_travel_m,
    propose,
    street_id_for,
)
from data.batches.views import (
    crew_day_count,
    device_names,
    items,
    mark_done_from_installations,
    progress,
    roster,
)
from data.batches.workflow import confirm, reopen, save, send

__all__ = [
    "DEFAULT_RULES",
    "GAS_TYPES",
    "LOC_LEVELS",
    "ROSTER_COLUMNS",
    "RULES",
    "STATUSES",
    "BatchError",
    "Plan",
    "add_item",
    "candidates",
    "chunked_travel_m",
    "confirm",
    "crew_day_count",
    "device_names",
    "items",
    "latest_date",
    "mark_done_from_installations",
    "month_start",
    "move_item",
    "naive_order",
    "page_note",
    "plan",
    "planned_travel_m",
    "prioritise",
    "progress",
    "propose",
    "remove_item",
    "reopen",
    "resequence",
    "roster",
    "save",
    "send",
    "street_id_for",
]
