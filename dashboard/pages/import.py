"""数据导入: upload a roster / confirmation table / ledger / boundary file, check the column
mapping and the new-changed-unchanged-rejected counts, then commit in one transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from dashboard.components import locate
from dashboard.i18n import t
from data import importing
from data.households import geocoding
from data.importing import boundaries, mapping
from data.users import access
from documents import import_templates as templates

context.require("import")
user = context.user()
programme = context.programme_id()
lang = context.lang()
st.title(t("page.import", lang))
if programme is None:
    st.info(t("app.no_programme", lang))
    st.stop()

NONE = t("import.none", lang)
c1, c2, c3 = st.columns([2, 2, 1])
# A kind whose rows belong to another page's edit right (the address base: 项目设置) is offered
# only to those who hold it; the importer checks again.
kinds = [
    k
    for k in importing.KINDS
    if k not in importing.SPECS or access.can(user, importing.SPECS[k].page, access.W)
]
kind = c1.selectbox(
    t("import.kind", lang),
    kinds,
    format_func=lambda k: mapping.KIND_LABELS[k] if lang == "zh" else t(f"import.kind.{k}", lang),
    key="import_kind",
)
crs = c2.radio(
    t("import.crs", lang),
    ["wgs84", "gcj02", "bd09"],
    format_func=lambda c: t(f"import.crs.{c}", lang),
    horizontal=True,
    key="import_crs",
)
ext = "geojson" if kind == "boundaries" else "xlsx"
c3.download_button(
    t("import.template", lang),
    templates.template_bytes(kind),
    file_name=f"{mapping.KIND_LABELS[kind]}模板.{ext}",  # the paperwork's Chinese name
    key="import_template",
)
if kind == "boundaries" and user.role != "admin":
    st.info(t("import.boundaries_admin", lang))
    st.stop()

upload = st.file_uploader(
    t("import.upload", lang).format(
        types=" / ".join("." + e for e in importing.EXTENSIONS[kind]),
        mb=importing.MAX_BYTES // 1024 // 1024,
    ),
    type=list(importing.EXTENSIONS[kind]),
    key=f"import_file_{kind}",
    max_upload_size=importing.MAX_BYTES
    // 1024
    // 1024,  # the browser's check; the server checks again
)
if upload is None:
    if kind == "address_points":
        st.caption(t("import.address_points_rules", lang))
    st.caption(t("import.rules", lang))
    st.stop()

# Checked here on the server, whatever the browser allowed.
data = upload.getvalue()
suffix = Path(upload.name).suffix.lower().lstrip(".")
if suffix not in importing.EXTENSIONS[kind]:
    st.error(
        t("import.bad_suffix", lang).format(
            file=format.md(upload.name),
            suffix=format.md(suffix),
            types=", ".join(importing.EXTENSIONS[kind]),
        )
    )
    st.stop()


def _check(column_map: dict[str, str] | None, commit: bool = False) -> importing.Result:
    # A 100,000-row roster takes seconds to check: reuse the result until the file, the
    # choices or the database (a newer import) change.
    last = db.query_fresh(
        "recent_imports", scope=db.WHOLE_DISTRICT, programme_id=programme, limit=1
    )["import_id"].tolist()
    key = (hashlib.sha256(data).hexdigest(), kind, crs, programme, user, str(column_map), last)
    cached = st.session_state.get("_import_checked")
    if not commit and cached is not None and cached[0] == key:
        return cached[1]
    result = _run(column_map, commit)
    if not commit:
        st.session_state["_import_checked"] = (key, result)
    return result


def _run(column_map: dict[str, str] | None, commit: bool) -> importing.Result:
    if kind == "boundaries":
        return boundaries.run(db.cursor(), upload.name, data, programme, user, crs, commit)
    return importing.run(
        db.cursor(), kind, upload.name, data, programme, user, column_map, crs, commit=commit
    )


def _levels(result: importing.Result) -> pd.Series:
    # The preview rows as the roster's fields, located against the stored base (nothing written).
    col = {f: c for c, f in result.mapping.items()}
    frame = pd.DataFrame(result.preview)
    rows = pd.DataFrame(
        {f: frame[col[f]] if f in col else None for f in ("address", "lon", "lat", "community")},
        index=frame.index,
    )
    return geocoding.preview_levels(db.cursor(), programme, rows)


try:
    result = _check(None)
    if kind != "boundaries":
        labels = mapping.labels(kind)
        by_label = {v: k for k, v in labels.items()}
        row_no = t("import.row_no", lang)
        header = t("import.row_sep", lang).join(row_no.format(r=r) for r in result.header_rows)
        sheet = t("import.sheet", lang)
        st.text(sheet.format(sheet=result.sheet, rows=header, n=len(result.columns)))
        preview = pd.DataFrame(result.preview).astype(str)
        if kind == "households" and result.preview:
            levels = _levels(result)
            preview.insert(
                1, t("import.locate", lang), levels.map(lambda v: locate.level_label(v, lang))
            )
            st.caption(
                t("import.locate_line", lang).format(
                    n=len(levels), levels=locate.levels_text(levels.value_counts(), lang)
                )
            )
        with st.expander(t("import.preview", lang).format(n=len(result.preview))):
            st.dataframe(preview, hide_index=True)
        st.caption(t("import.check_mapping", lang))
        # The fields are named as the template's column headers (the paperwork's Chinese).
        in_file, imported_as = t("import.col.file", lang), t("import.col.as", lang)
        edited = st.data_editor(
            pd.DataFrame(
                {
                    in_file: result.columns,
                    imported_as: [
                        labels.get(result.mapping.get(c, ""), NONE) for c in result.columns
                    ],
                }
            ),
            column_config={
                in_file: st.column_config.TextColumn(disabled=True),
                imported_as: st.column_config.SelectboxColumn(options=[NONE, *labels.values()]),
            },
            hide_index=True,
            key=f"import_mapping_{kind}_{lang}",
        )
        chosen = {
            col: by_label[lab]
            for col, lab in zip(edited[in_file], edited[imported_as], strict=True)
            if lab in by_label
        }
        if chosen != result.mapping:
            result = _check(chosen)
except importing.ReadError as exc:
    st.error(format.error_text(exc, lang))  # messages quote file names and cells: escaped
    st.stop()
except (PermissionError, ValueError) as exc:
    st.error(format.error_text(exc, lang))
    st.stop()

counts = result.counts()
m = st.columns(4)
for col, key in zip(
    m,
    ["loaded", "updated", "unchanged", "rejected"],
    strict=True,
):
    col.metric(t(f"import.m.{key}", lang), f"{counts[key]:,}")
if result.rejections:
    st.subheader(t("import.rejected", lang))
    heads = [t(f"import.col.{c}", lang) for c in ("row_no", "column", "reason")]
    st.dataframe(
        pd.DataFrame(
            [[r.row_no, r.column or "", r.reason] for r in result.rejections], columns=heads
        ),
        hide_index=True,
        key="import_rejections",
    )
    st.download_button(
        t("import.rejected_download", lang),
        templates.rejected_bytes(result.rejection_frame()),
        file_name=f"{Path(upload.name).stem}_未导入.xlsx",
        key="import_rejected_download",
    )
if result.warnings:
    with st.expander(t("import.warnings", lang).format(n=len(result.warnings))):
        st.text("\n".join(f"- {w}" for w in result.warnings[:500]))  # file text: never Markdown
if result.changes:
    with st.expander(t("import.changes", lang).format(n=len(result.changes))):
        heads = [t(f"import.col.{c}", lang) for c in ("record", "field", "old", "new")]
        st.dataframe(
            pd.DataFrame(
                [
                    ["/".join(map(str, c["key"])), f, str(c["old"].get(f)), str(v)]
                    for c in result.changes[:1000]
                    for f, v in c["new"].items()
                ],
                columns=heads,
            ),
            hide_index=True,
        )

if st.button(
    t("import.commit", lang),
    type="primary",
    key="import_commit",
    disabled=not context.can("import", access.W) or counts["loaded"] + counts["updated"] == 0,
):
    done = _check(result.mapping or None, commit=True)
    st.cache_data.clear()  # every page's cached numbers now include this import
    c = done.counts()
    st.success(t("import.done", lang).format(id=done.import_id, **c))

st.subheader(t("import.recent", lang))
st.dataframe(
    db.query_fresh("recent_imports", scope=context.scope(), programme_id=programme, limit=20),
    hide_index=True,
    key="import_recent",
)
