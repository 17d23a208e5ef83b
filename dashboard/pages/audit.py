"""审计日志: search the append-only log and check that its hash chain is intact."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import context, db
from dashboard.components import audit_view as view
from dashboard.i18n import t
from data.store import audit, clock

ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "export",
    "unmask",
    "edit",
    "import",
    "import_update",
    "user_add",
    "user_disable",
    "user_enable",
    "password_reset",
    "password_change",
    "batch_status",
)

context.require("audit")
lang = context.lang()
st.title(t("page.audit", lang))

report = audit.check(db.cursor())
head = report["head"] or {}
head_text = t("audit.head", lang).format(
    seq=head.get("chain_seq", "—"), hash=(head.get("entry_hash") or "")[:16]
)
if report["ok"]:
    st.success(t("audit.ok", lang).format(n=f"{report['entries']:,}", head=head_text))
else:
    st.error(t("audit.broken", lang).format(n=len(report["breaks"]), head=head_text))
    st.dataframe(
        pd.DataFrame(report["breaks"]).rename(
            columns={
                "audit_id": t("audit.col.audit_id", lang),
                "chain_seq": t("audit.col.chain_seq", lang),
                "reason": t("audit.detail.reason", lang),
            }
        ),
        hide_index=True,
        key="audit_breaks",
    )
if report["pre_hmac"]:
    st.caption(t("audit.pre_hmac", lang).format(n=f"{report['pre_hmac']:,}"))

c1, c2, c3, c4 = st.columns(4)
actor = c1.text_input(t("audit.actor", lang), key="audit_actor").strip() or None
action = (
    c2.selectbox(
        t("audit.action", lang),
        ["", *ACTIONS],
        format_func=lambda a: view.action_text(a, lang),
        key="audit_action",
    )
    or None
)
text = c3.text_input(t("audit.text", lang), key="audit_text").strip() or None
days = c4.date_input(
    t("audit.dates", lang),
    value=(clock.today() - timedelta(days=30), clock.today()),
    key="audit_dates",
    format="YYYY-MM-DD",
)
date_from, date_to = (
    (days[0], days[-1])
    if isinstance(days, tuple | list) and days
    else (clock.today(), clock.today())
)

# Not cached: the log must show the latest entries, including this page's own.
search = partial(
    db.query_fresh,
    "audit_search",
    scope=db.WHOLE_DISTRICT,
    actor=actor,
    action=action,
    text=text,
    date_from=date_from,
    date_to=date_to,
)
found = search(limit=view.SHOWN)
total = int(found["total"].iloc[0]) if len(found) else 0
table = view.shown(found, lang)
if total > len(found):
    st.caption(t("audit.count_cut", lang).format(n=f"{total:,}", shown=f"{len(found):,}"))
else:
    st.caption(t("audit.count", lang).format(n=f"{total:,}"))
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="audit_table",
    column_config={table.columns[-1]: st.column_config.TextColumn(width="large")},
)
if context.can("audit", "export"):
    st.download_button(
        t("coverage.download", lang),
        data=partial(
            view.export_bytes,
            partial(search, limit=None),
            lang,
            "审计日志",
            {"筛选": f"{actor or ''} {action or ''} {text or ''}".strip()},
        ),
        file_name=f"审计日志_{date_from}_{date_to}.xlsx",
        key="audit_download",
        on_click=lambda: context.audit_log("export", "audit_log", {"rows": total}),
    )
