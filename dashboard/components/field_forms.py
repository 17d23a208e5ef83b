"""入户登记 (issue 12): the household card and the recording forms, laid out for a 390 px phone.

One column, full-width buttons; every rule lives in data.field, the forms only collect values.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard import context, db
from dashboard.format import error_text, md
from data import clock, field, photos, privacy, registry, risk

PAGE = field.PAGE
STATUS_LABELS = {
    "verified": "已验收",
    "installed": "已安装",
    "gas_cut": "停气中",
    "hazard_open": "隐患未整改",
    "refused": "拒绝",
    "surveyed": "已排摸",
}


def day(value: object, missing: str = "—") -> str:
    """A date as 2026-11-24 (pandas gives Timestamps and NaT)."""
    if value is None or pd.isna(value):
        return missing
    return pd.Timestamp(value).date().isoformat()


def person(row: dict | pd.Series, unmasked: bool) -> tuple[str, str, str]:
    """Name, address and phone as this user may see them."""
    name, address, phone = row.get("name"), row.get("address"), row.get("phone")
    if not unmasked:
        name, address, phone = (
            privacy.mask_name(name),
            privacy.mask_address(address),
            privacy.mask_phone(phone),
        )
    return tuple("" if v is None or pd.isna(v) else str(v) for v in (name, address, phone))


def pick_list(frame: pd.DataFrame, key: str, unmasked: bool, today: bool = False) -> str | None:
    """One full-width button per household (and a 导航 link when it has a position)."""
    chosen = None
    for row in frame.to_dict("records"):
        name, address, _ = person(row, unmasked)
        head = f"{row['seq']}. " if today else ""
        done = " ✓已装" if today and pd.notna(row.get("done_on")) else ""
        label = f"{head}{row['household_id']} {name} · {address}{done}"
        if st.button(label, key=f"{key}_{row['household_id']}", width="stretch"):
            chosen = row["household_id"]
        geo = row.get("geo") or field.geo_link(row.get("lon"), row.get("lat"))
        if today and geo:
            st.link_button("地图导航", geo, icon=":material/near_me:", width="stretch")
    return chosen


def card(con, user, pid: str, hh: dict, unmasked: bool) -> None:
    """The household: who, where, status, devices, timeline, risk factors, photos."""
    name, address, phone = person(hh, unmasked)
    st.subheader(f"{hh['household_id']} {name}")
    st.text(f"{hh.get('street_name') or ''} {hh.get('community_name') or ''}\n{address}\n{phone}")
    flags = [label for key, label in STATUS_LABELS.items() if bool(hh.get(key))]
    st.markdown(" ".join(f":blue-badge[{md(f)}]" for f in flags) or ":gray-badge[未排摸]")
    geo = field.geo_link(hh.get("lon"), hh.get("lat"))
    if geo:
        st.link_button("在手机地图中打开", geo, icon=":material/near_me:", width="stretch")
    dev = field.devices(con, pid, hh["household_id"])
    with st.expander(f"设备（{len(dev)}）", expanded=not dev.empty):
        if dev.empty:
            st.text("尚未安装设备。")
        for r in dev.to_dict("records"):
            st.text(
                f"{r['device_name']}\n序列号 {r['device_serials'] or '—'}\n"
                f"安装 {day(r['installed_on'])} · 质保至 {day(r['warranty_until'])}"
                f" · 验收 {day(r['verified_on'], '未验收')}"
            )
    events = field.timeline(con, user, pid, hh["household_id"])
    with st.expander(f"时间线（{len(events)}）", expanded=True):
        for r in events.to_dict("records"):
            src = f" [{r['source']}]" if r["source"] else ""
            st.text(f"{day(r['on_date'])}  {r['event']}{src}\n  {r['what']}")
    with st.expander("风险因素"):
        st.text(risk_reasons(pid, hh["household_id"], user))
    shots = field.household_photos(con, user, pid, hh["household_id"])
    if shots:
        with st.expander(f"照片（{len(shots)}）"):
            for p in shots:
                if p["data"] is not None:
                    st.image(p["data"], caption=f"#{p['entry_id']} {p['file_name']}")
                else:
                    st.text(f"#{p['entry_id']} {p['file_name']}：文件缺失或被改动")


def risk_reasons(pid: str, household_id: str, user) -> str:
    """The fire-risk factors of one household today (same weights as the 火灾风险 page)."""
    frame = db.query("fire_risk_households", context.scope(), programme_id=pid, as_of=clock.today())
    row = frame[frame["household_id"] == household_id]
    if row.empty:
        return "—"
    cfg = risk.load_config(db.cursor(), pid)
    scored = risk.score(row, cfg.weights, clock.today(), cfg.overdue_days).iloc[0]
    return f"风险分 {scored['risk_score']:g}：{scored['reasons'] or '无'}"


def _when(prefix: str) -> datetime:
    now = clock.now()
    d = st.date_input("日期", value=now.date(), max_value=now.date(), key=f"{prefix}_date")
    t = st.time_input("时间（北京时间）", value=now.time(), key=f"{prefix}_time", step=300)
    return datetime.combine(d, t)


def _photos(prefix: str) -> list[photos.Upload]:
    files = st.file_uploader(
        "照片（jpg/png/heic，每张不超过 10 MB，可不传）",
        type=["jpg", "jpeg", "png", "heic"],
        accept_multiple_files=True,
        max_upload_size=10,  # MB, as data.photos checks
        key=f"{prefix}_photos",
    )
    keep = st.checkbox("保留照片中的拍摄位置", key=f"{prefix}_keep_gps")
    return [photos.Upload(f.name, f.getvalue(), keep) for f in files or []]


def clear(kind: str) -> None:
    """Empty a form after it was saved (kept on errors, so nothing typed on a phone is lost)."""
    prefix = f"field_{kind}_"
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def form(con, pid: str, hh: dict, kind: str) -> field.Entry | None:
    """The form of one kind of entry; the Entry when submitted, else None."""
    prefix = f"field_{kind}"
    hid = hh["household_id"]
    with st.form(prefix, clear_on_submit=False):
        when = _when(prefix)
        values: dict = {}
        shots: list[photos.Upload] = []
        if kind == "visit":
            values["outcome"] = st.radio(
                "入户结果", list(field.OUTCOMES), key=f"{prefix}_outcome", horizontal=True
            )
            values["hazards"] = st.multiselect(
                "发现的隐患", field.hazard_kinds(con, pid), key=f"{prefix}_hazards"
            )
            values["note"] = st.text_input("备注（拒绝、无法整改时必填）", key=f"{prefix}_note")
            shots = _photos(prefix)
        elif kind == "refusal":
            values["reason"] = st.text_input("拒绝原因", key=f"{prefix}_reason", max_chars=200)
        elif kind in ("rectified", "gas_cut", "gas_restored"):
            hz = field.hazards(con, pid, hid)
            labels = {
                r["hazard_id"]: f"{r['kind']}（{day(r['found_on'])} 发现"
                + (f"，{day(r['gas_cut_on'])} 停气" if pd.notna(r["gas_cut_on"]) else "")
                + (f"，{day(r['rectified_on'])} 已整改" if pd.notna(r["rectified_on"]) else "")
                + "）"
                for r in hz.to_dict("records")
            }
            values["hazard_id"] = st.selectbox(
                "隐患", list(labels), format_func=labels.get, key=f"{prefix}_hazard", index=None
            )
            values["note"] = st.text_input("备注", key=f"{prefix}_note", max_chars=200)
        elif kind == "installation":
            choices = field.device_choices(con, pid, hh.get("gas_type"))
            values["device_types"] = st.multiselect(
                "安装的设备", list(choices), format_func=choices.get, key=f"{prefix}_devices"
            )
            values["serials"] = {
                d: st.text_input(f"{choices[d]} 序列号（多个用逗号分开）", key=f"{prefix}_sn_{d}")
                for d in choices
            }
            values["installer"] = st.text_input("安装人员", key=f"{prefix}_installer", max_chars=50)
            values["signed"] = st.checkbox("住户已在确认单上签字", key=f"{prefix}_signed")
            shots = _photos(prefix)
        elif kind == "verification":
            values["note"] = st.text_input("验收意见", key=f"{prefix}_note", max_chars=200)
        elif kind == "helper_visit":
            values["helper"] = st.text_input(
                "帮扶人", value=str(hh.get("helper_name") or ""), key=f"{prefix}_helper"
            )
            values["checks"] = st.multiselect(
                "检查内容", list(field.HELPER_CHECKS), key=f"{prefix}_checks"
            )
            values["advice"] = st.text_input("提出的建议", key=f"{prefix}_advice", max_chars=200)
        if st.form_submit_button(f"保存{field.KINDS[kind]}", type="primary", width="stretch"):
            return field.Entry(kind, when, values, shots)
    return None


def keeps_registry(con, pid: str) -> bool:
    """Programmes with one-to-one helpers (seed 004) keep a living registry on this page."""
    return bool(field.programme_settings(con, pid).get("helpers"))


def registry_forms(con, user, pid: str, hh: dict) -> str | None:
    """Seed 004: mark the person as left from a date, or change the helper; a message if saved."""
    hid = hh["household_id"]
    done = None
    with st.expander("登记册（独居老人动态管理）"):
        for r in registry.history(con, pid, hid):
            st.text(f"{day(r['effective_on'])} {r['change']} {r['changed_by']}\n  {r['detail']}")
        with st.form("field_registry_left"):
            reason = st.selectbox(
                "离开登记册的原因",
                list(registry.LEFT_REASONS),
                format_func=registry.LEFT_REASONS.get,
                key="field_registry_left_reason",
            )
            on = st.date_input("自哪天起", value=clock.today(), key="field_registry_left_on")
            if st.form_submit_button("确认离开登记册", width="stretch"):
                try:
                    registry.mark_left(con, user, pid, hid, reason, on)
                    done = "已更新登记册：自该日起不再计入独居老人名单。"
                except (ValueError, PermissionError) as exc:
                    st.error(error_text(exc, context.lang()))
        with st.form("field_registry_helper"):
            name = st.text_input("新帮扶人姓名", key="field_registry_helper_name", max_chars=50)
            kind = st.selectbox(
                "帮扶人类型", registry.helper_types(con, pid), key="field_registry_helper_type"
            )
            phone = st.text_input("帮扶人电话", key="field_registry_helper_phone", max_chars=20)
            on = st.date_input("自哪天起", value=clock.today(), key="field_registry_helper_on")
            if st.form_submit_button("更换帮扶人", width="stretch"):
                try:
                    registry.change_helper(con, user, pid, hid, name, kind, phone, on)
                    done = "已更换帮扶人。"
                except (ValueError, PermissionError) as exc:
                    st.error(error_text(exc, context.lang()))
    return done


def add_person_form(con, user, pid: str, scope: list[str] | None) -> str | None:
    """Seed 004: add a person found on a visit to the registry; the new 户号 if saved."""
    streets = db.query("region_shapes", scope, programme_id=pid, level="street")
    comms = db.query("region_shapes", scope, programme_id=pid, level="community")
    names = dict(zip(comms["region_id"], comms["name"], strict=True))
    parent = dict(zip(comms["region_id"], comms["parent_id"], strict=True))
    new_id = None
    with st.expander("新增独居老人（走访中发现）"), st.form("field_registry_add"):
        community = st.selectbox(
            "社区（村）", list(names), format_func=names.get, key="field_add_community"
        )
        name = st.text_input("姓名", key="field_add_name", max_chars=50)
        sex = st.radio("性别", ["男", "女"], key="field_add_sex", horizontal=True, index=None)
        birth = st.number_input(
            "出生年份", 1900, clock.today().year, value=None, step=1, key="field_add_birth"
        )
        address = st.text_input("住址", key="field_add_address", max_chars=200)
        phone = st.text_input("电话（可不填）", key="field_add_phone", max_chars=20)
        on = st.date_input("登记日期", value=clock.today(), key="field_add_on")
        if st.form_submit_button("加入登记册", width="stretch"):
            values = {
                "street_id": parent.get(community) if len(streets) else None,
                "community_id": community,
                "name": name,
                "sex": sex,
                "birth_year": int(birth) if birth is not None else None,
                "address": address,
                "phone": phone,
            }
            try:
                new_id = registry.add_person(con, user, pid, values, on)
            except (ValueError, PermissionError) as exc:
                st.error(error_text(exc, context.lang()))
    return new_id
