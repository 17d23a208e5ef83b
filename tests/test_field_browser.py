"""入户登记 on a phone in a real headless Chromium at 390 × 844: a street user opens
today's crew-day, records an installation with a serial number, and 已安装 rises on 覆盖地图.
Screenshots of the phone layout go to test-artifacts/ (and docs/ for the README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import browser as bench_browser
from data.demos import demo
from data.store import clock
from data.store.connection import connect
from tests.browser_login import first_sign_in, offline_guard
from tests.test_browser import ARTIFACTS, CHROMIUM

pytestmark = pytest.mark.browser
HUAYANG = "310105001"
PHONE = {"width": 390, "height": 844}
STATE: dict[str, object] = {}


@pytest.fixture(scope="module")
def phone_app(tmp_path_factory: pytest.TempPathFactory):
    """Streamlit on a demo database of its own with a sent batch whose crew-day is today."""
    db = tmp_path_factory.mktemp("field_browser") / "demo.duckdb"
    STATE["login"] = demo.build(db)["accounts"]
    con = connect(db)
    try:
        picks = [
            r[0]
            for r in con.execute(
                "SELECT household_id FROM household_status(?, ?) WHERE street_id = ? AND surveyed"
                " AND NOT installed AND NOT refused AND NOT gas_cut AND gas_type = 'piped'"
                " ORDER BY household_id LIMIT 4",
                [demo.PROGRAMME, clock.today(), HUAYANG],
            ).fetchall()
        ]
        con.execute(
            "INSERT INTO batch (batch_id, programme_id, street_id, month, crews, per_day, status,"
            " created_by, sent_by, sent_at) VALUES (?, ?, ?, ?, 1, 8, 'sent', 'demo_street',"
            " 'demo_street', now())",
            [
                f"{HUAYANG}-{clock.today():%Y-%m}-1",
                demo.PROGRAMME,
                HUAYANG,
                f"{clock.today():%Y-%m}",
            ],
        )
        con.executemany(
            "INSERT INTO batch_item (batch_id, household_id, crew, day, seq, reason)"
            " VALUES (?, ?, 1, ?, ?, '已排摸未安装，按片区顺路')",
            [
                [f"{HUAYANG}-{clock.today():%Y-%m}-1", h, clock.today(), n]
                for n, h in enumerate(picks, start=1)
            ],
        )
        STATE["picks"] = picks
    finally:
        con.close()
    log = tmp_path_factory.mktemp("streamlit_field") / "streamlit.log"
    try:
        with bench_browser.serve(db, log) as (url, _):
            yield url
    finally:
        print(log.read_text(encoding="utf-8", errors="replace")[-3000:])


def _idle(page) -> None:
    """Wait until the script run has finished (Streamlit's running indicator is gone): a widget
    clicked during a run may be re-rendered and lose an open dropdown."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=90_000
    )


def _choose(page, testid: str, label: str, option: str | None) -> None:
    """Open a select by its label and click an option (the first if None), retrying once if a
    rerun closed the dropdown."""
    for attempt in range(3):
        _idle(page)
        page.locator(f"[data-testid='{testid}']").filter(has_text=label).click()
        opt = (
            page.get_by_role("option", name=option, exact=True)
            if option
            else page.get_by_role("option").first
        )
        try:
            opt.click(timeout=10_000)
            return
        except Exception:
            if attempt == 2:
                raise


def _installed(page) -> int:
    metric = page.locator("[data-testid='stMetric']").filter(has_text="已安装").first
    metric.wait_for(timeout=60_000)
    value = metric.locator("[data-testid='stMetricValue']").inner_text()
    return int(value.replace(",", ""))


def test_street_user_records_an_installation_from_a_phone(phone_app: str) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    ARTIFACTS.mkdir(exist_ok=True)
    blocked: list[str] = []
    login = STATE["login"]
    first = STATE["picks"][0]

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        context.route("**/*", offline_guard(blocked))
        page = context.new_page()
        first_sign_in(page, phone_app, "demo_street", login["demo_street"], "phone-test-pass-2026")
        before = _installed(page)  # 覆盖地图 is the street user's first page

        page.goto(f"{phone_app}/field", wait_until="domcontentloaded")
        page.get_by_text("今日清单").first.wait_for(timeout=60_000)
        today = page.get_by_role("button", name=first)
        today.first.wait_for(timeout=60_000)
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "field_phone_today.png"))
        nav = page.get_by_role("link", name="地图导航").first
        geo = nav.get_attribute("href")
        today.first.click()
        page.get_by_text("时间线").first.wait_for(timeout=60_000)

        page.get_by_text("登记类型").first.wait_for()
        _choose(page, "stSelectbox", "登记类型", "安装")
        page.get_by_text("安装的设备").first.wait_for(timeout=30_000)
        _choose(page, "stMultiSelect", "安装的设备", None)
        page.keyboard.press("Escape")
        page.get_by_label("序列号", exact=False).first.fill("SN-PHONE-0001")
        page.get_by_label("安装人员").fill("大众燃气第1班组 李师傅")
        page.get_by_text("住户已在确认单上签字").click()
        page.get_by_role("button", name="保存安装").click()
        saved = page.get_by_text("已登记", exact=False).first
        saved.wait_for(timeout=60_000)
        page.get_by_text("SN-PHONE-0001", exact=False).first.wait_for(timeout=30_000)
        saved.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        # What the phone shows: the viewport (Streamlit scrolls inside its main container).
        page.screenshot(path=str(ARTIFACTS / "field_phone_recorded.png"))
        page.get_by_text("在手机地图中打开").first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "field_phone_household.png"))
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )

        page.goto(phone_app, wait_until="domcontentloaded")
        after = _installed(page)

        # the same card and form in English must fit 390 px too.
        page.goto(f"{phone_app}/field", wait_until="domcontentloaded")
        page.get_by_text("今日清单").first.wait_for(timeout=60_000)
        page.locator("[data-testid='stExpandSidebarButton']").click()
        _choose(page, "stSelectbox", "Language", "English")
        page.locator("[data-testid='stSidebarCollapseButton'] button").click()
        page.get_by_text("Today's list").first.wait_for(timeout=60_000)
        page.get_by_role("button", name=first).first.click()
        page.get_by_text("Timeline").first.wait_for(timeout=60_000)
        _choose(page, "stSelectbox", "Entry type", "Helper visit")
        page.get_by_text("Advice given").first.wait_for(timeout=30_000)
        page.get_by_text("Entry type").first.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "field_phone_form_en.png"))
        page.get_by_text("Open in the phone's map").first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "field_phone_household_en.png"))
        widths_en = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        browser.close()

    assert blocked == [], f"requests left localhost: {blocked}"
    assert geo and geo.startswith("geo:31.") and ",121." in geo
    assert widths[0] <= widths[1], f"the page scrolls sideways at 390 px: {widths}"
    assert widths_en[0] <= widths_en[1], f"English scrolls sideways at 390 px: {widths_en}"
    assert after == before + 1, (before, after)


def test_the_phone_location_is_taken_at_the_door(phone_app: str) -> None:
    """The geolocation component speaks Streamlit's protocol by hand: the browser's fix (granted
    and faked here) reaches the page, which shows its accuracy in metres."""
    from playwright.sync_api import sync_playwright

    login = STATE["login"]
    second = STATE["picks"][1]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        context.grant_permissions(["geolocation"])
        context.set_geolocation({"longitude": 121.4301, "latitude": 31.2212, "accuracy": 15})
        page = context.new_page()
        first_sign_in(page, phone_app, "demo_admin", login["demo_admin"], "phone-test-pass-2026")
        _installed(page)  # 覆盖地图 is the first page: signed in
        page.goto(f"{phone_app}/field", wait_until="domcontentloaded")
        try:
            page.get_by_text("查找住户").first.wait_for(timeout=60_000)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "field_phone_location_failed.png"))
            raise
        page.get_by_text("查找住户").first.click()
        _idle(page)
        page.get_by_label("户号、姓名、地址或手机号后四位").fill(second)
        page.keyboard.press("Enter")
        # the search answers within the page's rerun, which on a loaded machine can take longer
        # than Playwright's default 30 s
        page.get_by_role("button", name=second).first.click(timeout=60_000)
        page.get_by_text("登记类型").first.wait_for(timeout=60_000)
        _choose(page, "stSelectbox", "登记类型", "入户检查")
        frame = page.frame_locator("iframe[title*='anju_geolocation']").first
        frame.get_by_role("button", name="取当前位置", exact=False).click(timeout=60_000)
        page.get_by_text("已取位置，精度约 15 米", exact=False).first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "field_phone_location.png"))
        browser.close()
