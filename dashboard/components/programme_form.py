"""Pieces of the 项目设置 page: create a programme, edit one; saving goes through
`data.programmes.save` (checks in Chinese, idempotent, audit-logged old → new)."""

from __future__ import annotations

import tomllib

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from data import programme_edits as edits
from data import programmes
from data.importing.read import MAX_BYTES


def _actor() -> str:
    who = context.user()
    return who.username if who else "anonymous"


def _report(result: dict) -> None:
    if result["status"] == "unchanged":
        st.info("没有改动：与已保存的设置相同。")
        return
    st.success(
        f"已保存项目 {result['programme_id']}（{'新建' if result['status'] == 'created' else '已更新'}），已记入审计日志。"
    )
    if result["changes"]:
        st.dataframe(
            pd.DataFrame(
                [[k, str(o), str(n)] for k, (o, n) in result["changes"].items()],
                columns=["设置项", "原值", "新值"],
            ),
            hide_index=True,
        )
    st.cache_data.clear()  # programme lists and settings are cached queries


def _save(template: dict, programme_id: str | None = None) -> None:
    try:
        result = programmes.save(db.cursor(), template, _actor(), programme_id=programme_id)
    except ValueError as exc:
        st.error(format.error_text(exc, context.lang()))
        return
    _report(result)


def create_section(lang: str) -> None:
    """新建项目: from a shipped template (one per seed) or from an uploaded .toml."""
    with st.expander("新建项目（从模板或 TOML 文件）"):
        c1, c2 = st.columns(2)
        name = c1.selectbox("随附模板", programmes.shipped(), key="settings_template")
        new_id = c2.text_input(
            "项目编号（留空则用模板中的编号）", key="settings_new_id", max_chars=64
        )
        if st.button(
            "从模板新建",
            key="settings_create",
            disabled=not context.can("programme_settings", "edit"),
        ):
            _save(programmes.read_template(name), new_id.strip() or None)
        upload = st.file_uploader(
            "或上传项目文件（.toml，格式同随附模板）",
            type=["toml"],
            key="settings_upload",
            max_upload_size=MAX_BYTES // 1024 // 1024,
        )
        if upload is not None and st.button("载入上传的文件", key="settings_load"):
            try:
                template = tomllib.loads(upload.getvalue().decode("utf-8"))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                st.error(f"文件 {upload.name} 无法读取（须为 UTF-8 编码的 TOML）：{exc}")
                return
            _save(template)


def edit_section(pid: str, lang: str) -> None:
    """The current programme's settings as a form; 保存 checks, loads and audits."""
    tpl = programmes.current_template(db.cursor(), pid)
    prog = tpl["programme"]
    st.subheader(f"编辑：{prog['name']}")
    st.caption(
        "日期须在项目起止之内且开始不晚于结束；同一费用项各方分担比例之和须为 1（可写 1/3）；"
        "单价不小于 0；按燃气类型的目标户数之和须等于目标户数。保存时逐项检查，并记入审计日志。"
    )
    with st.form("programme_settings_form"):
        name = st.text_input("项目名称", prog["name"], max_chars=200)
        c1, c2, c3 = st.columns(3)
        has_target = prog.get("target_households") is not None
        target = c1.number_input(
            "目标户数（0 表示不设目标）",
            min_value=0,
            value=int(prog.get("target_households") or 0),
            step=1,
        )
        by_gas = prog.get("targets_by_gas_type")
        piped = lpg = None
        if by_gas is not None:
            piped = c2.number_input(
                "其中管道天然气", min_value=0, value=int(by_gas.get("piped", 0)), step=1
            )
            lpg = c3.number_input(
                "其中液化气", min_value=0, value=int(by_gas.get("lpg", 0)), step=1
            )
        st.markdown("**阶段**（kind：survey 排摸 / install 安装 / archive 归档 / other 其他）")
        phases = st.data_editor(
            edits.frame(tpl.get("phase", []), edits.PHASE_COLUMNS),
            num_rows="dynamic",
            key="settings_phases",
            hide_index=True,
        )
        st.markdown("**设备及单价**（gas_type：piped / lpg / none / any；单价单位：元）")
        devices = st.data_editor(
            edits.frame(tpl.get("device", []), edits.DEVICE_COLUMNS),
            num_rows="dynamic",
            key="settings_devices",
            hide_index=True,
        )
        st.markdown("**费用分担**（item：device 设备 / installation 安装 / 设备类型编号）")
        shares = st.data_editor(
            edits.frame(tpl.get("cost_share", []), edits.SHARE_COLUMNS).astype({"share": str}),
            num_rows="dynamic",
            key="settings_shares",
            hide_index=True,
        )
        rules = st.text_area(
            "规则（每行 名称 = 值）", edits.rules_text(tpl.get("rules", {})), height=260
        )
        submitted = st.form_submit_button(
            "保存设置", disabled=not context.can("programme_settings", "edit")
        )
    if not submitted:
        return
    try:
        new = edits.apply(
            tpl,
            name=name,
            target_households=int(target) if (target or has_target) else None,
            targets_by_gas_type=None if by_gas is None else {"piped": piped, "lpg": lpg},
            phases=phases,
            devices=devices,
            shares=shares,
            rules=rules,
        )
    except ValueError as exc:
        st.error(format.error_text(exc, context.lang()))
        return
    _save(new)
