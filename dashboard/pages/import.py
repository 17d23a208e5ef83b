"""数据导入: upload a roster / confirmation table / ledger / boundary file, check the column
mapping and the new-changed-unchanged-rejected counts, then commit in one transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from dashboard.i18n import t
from data import access, importing
from data.importing import boundaries, mapping
from documents import import_templates as templates

context.require("import")
user = context.user()
programme = context.programme_id()
lang = context.lang()
st.title(t("page.import", lang))
if programme is None:
    st.info(t("app.no_programme", lang))
    st.stop()

NONE = "（不导入）"
c1, c2, c3 = st.columns([2, 2, 1])
kind = c1.selectbox(
    t("import.kind", lang),
    importing.KINDS,
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
    file_name=f"{mapping.KIND_LABELS[kind]}模板.{ext}",
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
    st.caption(t("import.rules", lang))
    st.stop()

# Checked here on the server, whatever the browser allowed.
data = upload.getvalue()
suffix = Path(upload.name).suffix.lower().lstrip(".")
if suffix not in importing.EXTENSIONS[kind]:
    st.error(
        f"{format.md(upload.name)}：不支持 .{suffix} 文件，请上传 {'、'.join(importing.EXTENSIONS[kind])}。"
    )
    st.stop()


def _check(column_map: dict[str, str] | None, commit: bool = False) -> importing.Result:
    # A 100,000-row roster takes seconds to check: reuse the result until the file, the
    # choices or the database (a newer import) change.
    last = db.query_fresh("recent_imports", None, programme_id=programme, limit=1)[
        "import_id"
    ].tolist()
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


try:
    result = _check(None)
    if kind != "boundaries":
        labels = mapping.labels(kind)
        by_label = {v: k for k, v in labels.items()}
        header = "、".join(f"第 {r} 行" for r in result.header_rows)
        st.text(f"工作表「{result.sheet}」，表头在{header}，数据 {len(result.columns)} 列。")
        with st.expander(f"文件预览（前 {len(result.preview)} 行）"):
            st.dataframe(pd.DataFrame(result.preview).astype(str), hide_index=True)
        st.caption("请核对每一列导入为哪个字段，可直接修改：")
        edited = st.data_editor(
            pd.DataFrame(
                {
                    "文件中的列": result.columns,
                    "导入为": [labels.get(result.mapping.get(c, ""), NONE) for c in result.columns],
                }
            ),
            column_config={
                "文件中的列": st.column_config.TextColumn(disabled=True),
                "导入为": st.column_config.SelectboxColumn(options=[NONE, *labels.values()]),
            },
            hide_index=True,
            key=f"import_mapping_{kind}",
        )
        chosen = {
            col: by_label[lab]
            for col, lab in zip(edited["文件中的列"], edited["导入为"], strict=True)
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
for col, (label, key) in zip(
    m,
    [("新增", "loaded"), ("更新", "updated"), ("未变", "unchanged"), ("拒绝", "rejected")],
    strict=True,
):
    col.metric(label, f"{counts[key]:,}")
if result.rejections:
    st.subheader("被拒绝的行")
    st.dataframe(
        pd.DataFrame(
            [{"行号": r.row_no, "列": r.column or "", "原因": r.reason} for r in result.rejections]
        ),
        hide_index=True,
        key="import_rejections",
    )
    st.download_button(
        "下载被拒绝的行（含 原因 列，修改后可再次导入）",
        templates.rejected_bytes(result.rejection_frame()),
        file_name=f"{Path(upload.name).stem}_未导入.xlsx",
        key="import_rejected_download",
    )
if result.warnings:
    with st.expander(f"提示 {len(result.warnings)} 条（已导入，但请核对）"):
        st.text("\n".join(f"- {w}" for w in result.warnings[:500]))  # file text: never Markdown
if result.changes:
    with st.expander(f"将更新 {len(result.changes)} 条记录（旧值 → 新值）"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "记录": "/".join(map(str, c["key"])),
                        "字段": f,
                        "旧值": str(c["old"].get(f)),
                        "新值": str(v),
                    }
                    for c in result.changes[:1000]
                    for f, v in c["new"].items()
                ]
            ),
            hide_index=True,
        )

if st.button(
    "确认导入",
    type="primary",
    key="import_commit",
    disabled=not context.can("import", access.W) or counts["loaded"] + counts["updated"] == 0,
):
    done = _check(result.mapping or None, commit=True)
    st.cache_data.clear()  # every page's cached numbers now include this import
    c = done.counts()
    st.success(
        f"已导入（编号 {done.import_id}）：新增 {c['loaded']}，更新 {c['updated']}，"
        f"未变 {c['unchanged']}，拒绝 {c['rejected']}。"
    )

st.subheader("最近导入")
st.dataframe(
    db.query_fresh("recent_imports", context.scope(), programme_id=programme, limit=20),
    hide_index=True,
    key="import_recent",
)
