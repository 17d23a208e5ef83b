"""入户登记: the household card and the recording forms, laid out for a 390 px phone.

One column, full-width buttons; every rule lives in data.fieldwork.field, the forms only collect values.
"""

from __future__ import annotations

import base64
import html
import uuid
from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard import context, db
from dashboard.format import error_text, md
from dashboard.i18n import t
from data.fieldwork import field, photos, registry
from data.firerisk import risk
from data.store import clock
from data.users import privacy

PAGE = field.PAGE
# The household's status flags, in the order the card shows them.
STATUS_FLAGS = ("verified", "installed", "gas_cut", "hazard_open", "refused", "surveyed")


def kind_label(kind: str, lang: str) -> str:
    """An entry kind (data.fieldwork.field.KINDS key) in the interface language."""
    return t(f"field.kind.{kind}", lang) if kind in field.KINDS else kind


def _word(prefix: str, value: object, lang: str) -> str:
    # Stored Chinese words (data.fieldwork.field/registry, field_timeline) shown in the interface language;
    # a word the catalogue does not know is shown as stored.
    key = f"{prefix}.{value}"
    return t(key, lang) if value is not None and t(key, lang) != key else str(value or "")


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


def pick_list(
    frame: pd.DataFrame, key: str, unmasked: bool, lang: str, today: bool = False
) -> str | None:
    """One full-width button per household (and a 导航 link when it has a position)."""
    chosen = None
    for row in frame.to_dict("records"):
        name, address, _ = person(row, unmasked)
        head = f"{row['seq']}. " if today else ""
        done = t("field.done_mark", lang) if today and pd.notna(row.get("done_on")) else ""
        # a button label is Markdown: a name, an address or a 户号 is shown as text
        label = f"{head}{md(row['household_id'])} {md(name)} · {md(address)}{done}"
        if st.button(label, key=f"{key}_{row['household_id']}", width="stretch"):
            chosen = row["household_id"]
        geo = row.get("geo") or field.geo_link(row.get("lon"), row.get("lat"))
        if today and geo:
            st.link_button(
                t("field.navigate", lang), geo, icon=":material/near_me:", width="stretch"
            )
    return chosen


def card(con, user, pid: str, hh: dict, unmasked: bool, lang: str) -> None:
    """The household: who, where, status, devices, timeline, risk factors, photos."""
    name, address, phone = person(hh, unmasked)
    st.subheader(md(f"{hh['household_id']} {name}"))
    st.text(f"{hh.get('street_name') or ''} {hh.get('community_name') or ''}\n{address}\n{phone}")
    flags = [t(f"field.status.{key}", lang) for key in STATUS_FLAGS if bool(hh.get(key))]
    st.markdown(
        " ".join(f":blue-badge[{md(f)}]" for f in flags)
        or f":gray-badge[{md(t('field.status.none', lang))}]"
    )
    geo = field.geo_link(hh.get("lon"), hh.get("lat"))
    if geo:
        st.link_button(t("field.open_map", lang), geo, icon=":material/near_me:", width="stretch")
    dev = field.devices(con, pid, hh["household_id"])
    with st.expander(t("field.devices_n", lang).format(n=len(dev)), expanded=not dev.empty):
        if dev.empty:
            st.text(t("field.no_devices", lang))
        for r in dev.to_dict("records"):
            st.text(
                t("field.device_line", lang).format(
                    name=r["device_name"],
                    serials=r["device_serials"] or "—",
                    installed=day(r["installed_on"]),
                    warranty=day(r["warranty_until"]),
                    verified=day(r["verified_on"], t("field.not_verified", lang)),
                )
            )
    events = field.timeline(con, user, pid, hh["household_id"])
    with st.expander(t("field.timeline_n", lang).format(n=len(events)), expanded=True):
        for r in events.to_dict("records"):
            src = f" [{_source(r['source'], lang)}]" if r["source"] else ""
            what = r["what"] if isinstance(r["what"], str) else ""
            st.text(f"{day(r['on_date'])}  {_word('field.event', r['event'], lang)}{src}\n  {what}")
    with st.expander(t("field.risk", lang)):
        st.text(risk_reasons(pid, hh["household_id"], user, lang))
    shots = field.household_photos(con, user, pid, hh["household_id"], thumbs=True)
    if shots:
        with st.expander(t("field.photos_n", lang).format(n=len(shots))):
            for p in shots:
                if p["data"] is not None:
                    _inline_image(p["data"], f"#{p['entry_id']} {p['file_name']}")
                else:
                    missing = t("field.photo_missing", lang)
                    st.text(missing.format(id=p["entry_id"], file=p["file_name"]))


def _inline_image(jpeg: bytes, caption: str) -> None:
    """A stored thumbnail inside the page itself. st.image would publish it at a /media URL
    that answers anyone holding the link, without the session or the household's scope."""
    data = base64.b64encode(jpeg).decode("ascii")
    st.html(
        f'<figure style="margin:0"><img src="data:image/jpeg;base64,{data}" '
        f'style="max-width:100%" alt=""><figcaption>{html.escape(caption)}</figcaption></figure>'
    )


def _source(source: str, lang: str) -> str:
    # field_timeline names the source 入户登记 #N or 导入 (see queries/field_timeline.sql)
    if source.startswith("入户登记 #"):
        return t("field.source.entry", lang).format(id=source.split("#", 1)[1])
    return t("field.source.import", lang) if source == "导入" else source


def risk_reasons(pid: str, household_id: str, user, lang: str = "zh") -> str:
    """The fire-risk factors of one household today (same weights as the 火灾风险 page)."""
    frame = db.query(
        "fire_risk_households", scope=context.scope(), programme_id=pid, as_of=clock.today()
    )
    row = frame[frame["household_id"] == household_id]
    if row.empty:
        return "—"
    cfg = risk.load_config(db.cursor(), pid)
    scored = risk.score(row, cfg.weights, clock.today(), cfg.overdue_days).iloc[0]
    # the reasons are data.firerisk.risk's sentence (its words are owned there), shown as written
    reasons = scored["reasons"] or t("field.risk_none", lang)
    return t("field.risk_line", lang).format(score=f"{scored['risk_score']:g}", reasons=reasons)


def _when(prefix: str, lang: str) -> datetime:
    now = clock.now()
    d = st.date_input(
        t("field.date", lang), value=now.date(), max_value=now.date(), key=f"{prefix}_date"
    )
    at = st.time_input(t("field.time", lang), value=now.time(), key=f"{prefix}_time", step=300)
    return datetime.combine(d, at)


def _photos(prefix: str, lang: str) -> list[photos.Upload]:
    files = st.file_uploader(
        t("field.photos", lang).format(mb=photos.MAX_MB),
        type=["jpg", "jpeg", "png", "heic"],
        accept_multiple_files=True,
        max_upload_size=photos.MAX_MB,  # the label says this number too
        key=f"{prefix}_photos",
    )
    keep = st.checkbox(t("field.keep_gps", lang), key=f"{prefix}_keep_gps")
    return [photos.Upload(f.name, f.getvalue(), keep) for f in files or []]


def _render(kind: str) -> dict:
    # This render of the form: its key (stored with the entry, so the same form is saved once)
    # and its generation, which names its widgets.
    return st.session_state.setdefault(f"_field_form_{kind}", {"n": 0, "key": uuid.uuid4().hex})


def _prefix(kind: str) -> str:
    # Fresh widget keys after each save: the browser keeps what a widget of the same key shows
    # (a photo above all) even when its session state is deleted, so a saved form gets new
    # widgets, empty. The first render keeps the plain keys.
    n = _render(kind)["n"]
    return f"field_{kind}" if n == 0 else f"field_{kind}_r{n}"


def clear(kind: str) -> None:
    """Empty a form after it was saved and give it a new key (kept on errors, so nothing typed
    on a phone is lost and a retry is still the same entry)."""
    prefix = f"field_{kind}_"
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
    n = _render(kind)["n"]
    st.session_state[f"_field_form_{kind}"] = {"n": n + 1, "key": uuid.uuid4().hex}


def form(con, pid: str, hh: dict, kind: str, lang: str) -> field.Entry | None:
    """The form of one kind of entry; the Entry (with this render's key) when submitted."""
    prefix = _prefix(kind)
    hid = hh["household_id"]
    with st.form(prefix, clear_on_submit=False):
        when = _when(prefix, lang)
        values: dict = {}
        shots: list[photos.Upload] = []
        if kind == "visit":
            values["outcome"] = st.radio(
                t("field.outcome", lang),
                list(field.OUTCOMES),
                format_func=lambda o: t(f"field.outcome.{field.OUTCOMES[o]}", lang),
                key=f"{prefix}_outcome",
                horizontal=True,
            )
            values["hazards"] = st.multiselect(
                t("field.hazards_found", lang),
                field.hazard_kinds(con, pid),
                key=f"{prefix}_hazards",
            )
            values["note"] = st.text_input(t("field.visit_note", lang), key=f"{prefix}_note")
            shots = _photos(prefix, lang)
        elif kind == "refusal":
            values["reason"] = st.text_input(
                t("field.refusal_reason", lang), key=f"{prefix}_reason", max_chars=200
            )
        elif kind in ("rectified", "gas_cut", "gas_restored"):
            hz = field.hazards(con, pid, hid)
            labels = {r["hazard_id"]: _hazard_label(r, lang) for r in hz.to_dict("records")}
            values["hazard_id"] = st.selectbox(
                t("field.hazard", lang),
                list(labels),
                format_func=labels.get,
                key=f"{prefix}_hazard",
                index=None,
            )
            values["note"] = st.text_input(
                t("field.note", lang), key=f"{prefix}_note", max_chars=200
            )
        elif kind == "installation":
            choices = field.device_choices(con, pid, hh.get("gas_type"))
            values["device_types"] = st.multiselect(
                t("field.devices_installed", lang),
                list(choices),
                format_func=choices.get,
                key=f"{prefix}_devices",
            )
            serial = t("field.serials", lang)
            values["serials"] = {
                d: st.text_input(serial.format(device=choices[d]), key=f"{prefix}_sn_{d}")
                for d in choices
            }
            values["installer"] = st.text_input(
                t("field.installer", lang), key=f"{prefix}_installer", max_chars=50
            )
            values["signed"] = st.checkbox(t("field.signed", lang), key=f"{prefix}_signed")
            shots = _photos(prefix, lang)
        elif kind == "verification":
            values["note"] = st.text_input(
                t("field.verification_note", lang), key=f"{prefix}_note", max_chars=200
            )
        elif kind == "helper_visit":
            values["helper"] = st.text_input(
                t("field.helper", lang),
                value=str(hh.get("helper_name") or ""),
                key=f"{prefix}_helper",
            )
            values["checks"] = st.multiselect(
                t("field.checks", lang),
                list(field.HELPER_CHECKS),
                format_func=lambda c: _word("field.check", c, lang),
                key=f"{prefix}_checks",
            )
            values["advice"] = st.text_input(
                t("field.advice", lang), key=f"{prefix}_advice", max_chars=200
            )
        save = t("field.save_kind", lang).format(kind=kind_label(kind, lang))
        if st.form_submit_button(save, type="primary", width="stretch"):
            return field.Entry(kind, when, values, shots, form_key=_render(kind)["key"])
    return None


def _hazard_label(r: dict, lang: str) -> str:
    """A hazard as the picker lists it: kind (data), found / cut / fixed dates."""
    text = t("field.hazard_label", lang).format(kind=r["kind"], found=day(r["found_on"]))
    if pd.notna(r["gas_cut_on"]):
        text += t("field.hazard_cut", lang).format(on=day(r["gas_cut_on"]))
    if pd.notna(r["rectified_on"]):
        text += t("field.hazard_fixed", lang).format(on=day(r["rectified_on"]))
    return text + t("field.hazard_end", lang)


def keeps_registry(con, pid: str) -> bool:
    """Programmes with one-to-one helpers (seed 004) keep a living registry on this page."""
    return bool(field.programme_settings(con, pid).get("helpers"))


def registry_forms(con, user, pid: str, hh: dict, lang: str) -> str | None:
    """Seed 004: mark the person as left from a date, or change the helper; a message if saved."""
    hid = hh["household_id"]
    done = None
    with st.expander(t("field.registry", lang)):
        for r in registry.history(con, pid, hid):
            st.text(f"{day(r['effective_on'])} {r['change']} {r['changed_by']}\n  {r['detail']}")
        with st.form("field_registry_left"):
            reason = st.selectbox(
                t("field.left_reason", lang),
                list(registry.LEFT_REASONS),
                format_func=lambda r: t(f"field.left.{r}", lang),
                key="field_registry_left_reason",
            )
            on = st.date_input(
                t("field.from_day", lang), value=clock.today(), key="field_registry_left_on"
            )
            if st.form_submit_button(t("field.left_go", lang), width="stretch"):
                try:
                    registry.mark_left(con, user, pid, hid, reason, on)
                    done = t("field.left_done", lang)
                except (ValueError, PermissionError) as exc:
                    st.error(error_text(exc, context.lang()))
        with st.form("field_registry_helper"):
            name = st.text_input(
                t("field.new_helper", lang), key="field_registry_helper_name", max_chars=50
            )
            kind = st.selectbox(
                t("field.helper_type", lang),
                registry.helper_types(con, pid),
                key="field_registry_helper_type",
            )
            phone = st.text_input(
                t("field.helper_phone", lang), key="field_registry_helper_phone", max_chars=20
            )
            on = st.date_input(
                t("field.from_day", lang), value=clock.today(), key="field_registry_helper_on"
            )
            if st.form_submit_button(t("field.helper_go", lang), width="stretch"):
                try:
                    registry.change_helper(con, user, pid, hid, name, kind, phone, on)
                    done = t("field.helper_done", lang)
                except (ValueError, PermissionError) as exc:
                    st.error(error_text(exc, context.lang()))
    return done


def add_person_form(con, user, pid: str, scope: list[str] | None, lang: str) -> str | None:
    """Seed 004: add a person found on a visit to the registry; the new 户号 if saved."""
    streets = db.query("region_shapes", scope=scope, programme_id=pid, level="street")
    comms = db.query("region_shapes", scope=scope, programme_id=pid, level="community")
    names = dict(zip(comms["region_id"], comms["name"], strict=True))
    parent = dict(zip(comms["region_id"], comms["parent_id"], strict=True))
    new_id = None
    with st.expander(t("field.add_person", lang)), st.form("field_registry_add"):
        community = st.selectbox(
            t("field.add.community", lang),
            list(names),
            format_func=names.get,
            key="field_add_community",
        )
        name = st.text_input(t("field.add.name", lang), key="field_add_name", max_chars=50)
        sex = st.radio(
            t("field.add.sex", lang),
            ["男", "女"],  # stored as written in the registry
            format_func=lambda x: _word("field.sex", x, lang),
            key="field_add_sex",
            horizontal=True,
            index=None,
        )
        birth = st.number_input(
            t("field.add.birth", lang),
            1900,
            clock.today().year,
            value=None,
            step=1,
            key="field_add_birth",
        )
        address = st.text_input(
            t("field.add.address", lang), key="field_add_address", max_chars=200
        )
        phone = st.text_input(t("field.add.phone", lang), key="field_add_phone", max_chars=20)
        on = st.date_input(t("field.add.on", lang), value=clock.today(), key="field_add_on")
        if st.form_submit_button(t("field.add.go", lang), width="stretch"):
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
