"""Anju entry point: page setup, login gate, sidebar (language, programme, account), navigation."""

import streamlit as st

from dashboard import assets, auth, context, db, warmup
from dashboard.i18n import LABELS, t, use_levels
from dashboard.navigation import PAGES
from data.importing.read import MAX_BYTES
from data.users.access import PAGE_TITLES

st.set_page_config(page_title="安居 Anju", page_icon="🏠", layout="wide")
assets.ensure_leaflet()
warmup.start()
# An engine fault anywhere below (sign-in, sidebar, the page) reopens the database and offers
# a retry instead of a traceback: db.contained.
with db.contained():
    auth.gate()

    with st.sidebar:
        st.selectbox(
            t("app.language", context.lang()),
            ["zh", "en"],
            format_func={"zh": "中文", "en": "English"}.get,
            key="lang",
        )
        lang = context.lang()
        progs = db.query("programmes", scope=db.WHOLE_DISTRICT)
        context.restore_programme(progs)
        if len(progs) > 1:
            st.selectbox(
                t("app.programme", lang),
                progs["programme_id"],
                format_func=dict(zip(progs["programme_id"], progs["name"], strict=True)).get,
                key="programme_id",
            )
        auth.sidebar_account()

    # The file uploader's own English ("Upload", "50MB per file • …") in the interface language.
    # Every uploader is capped at the importer's limit (max_upload_size), so one text fits all.
    st.html(assets.uploader_css(lang, MAX_BYTES // 1024 // 1024))

    pid = context.programme_id()
    context.remember_programme(pid)
    if pid is not None:
        # Every label from here on names the levels as this programme does (苏木镇 in a 旗).
        use_levels(context.level_names(pid))
    if pid is not None and context.is_demo(pid):
        district = context.district_name(pid) or t("app.demo_district", lang)
        st.warning(t("app.demo_banner", lang).format(district=district), icon="⚠️")

    # Only the pages this role may open are in the menu; each page also checks for itself.
    allowed = [p for p in PAGES if context.can(p.key)]
    pages = [
        st.Page(
            p.path,
            title=LABELS.get(f"page.{p.key}", {}).get(lang) or PAGE_TITLES[p.key],
            icon=p.icon,
            url_path=p.key,
            default=i == 0,
        )
        for i, p in enumerate(allowed)
    ]
    if not pages:
        st.error(t("app.no_pages", lang))
        st.stop()
    # Thirteen pages for the administrator: Streamlit folds a menu past ten behind "View more".
    st.navigation(pages, expanded=True).run()
