"""Anju entry point: page setup, sidebar (language, programme), demo banner, navigation."""

import streamlit as st

from dashboard import assets, context, db
from dashboard.i18n import t

st.set_page_config(page_title="安居 Anju", page_icon="🏠", layout="wide")
assets.ensure_leaflet()

with st.sidebar:
    st.selectbox(
        t("app.language", context.lang()),
        ["zh", "en"],
        format_func={"zh": "中文", "en": "English"}.get,
        key="lang",
    )
    lang = context.lang()
    progs = db.query("programmes")
    if len(progs) > 1:
        st.selectbox(
            t("app.programme", lang),
            progs["programme_id"],
            format_func=dict(zip(progs["programme_id"], progs["name"], strict=True)).get,
            key="programme_id",
        )

pid = context.programme_id()
if pid is not None and db.query("data_status", programme_id=pid).iloc[0]["is_demo"]:
    st.warning(t("app.demo_banner", lang), icon="⚠️")

pages = [
    st.Page(
        "dashboard/pages/coverage.py",
        title=t("page.coverage", lang),
        icon=":material/map:",
        url_path="coverage",
        default=True,
    ),
]
st.navigation(pages).run()
