"""The coverage map in a real headless Chromium with every non-local request blocked and counted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from bench import browser as bench_browser
from tests.browser_login import first_sign_in, offline_guard

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = bench_browser.CHROMIUM

pytestmark = pytest.mark.browser
HUAYANG_COMMUNITIES: list[int] = []
LOGIN: dict[str, str] = {}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory):
    """Streamlit serving a demo database of its own on a free localhost port.

    Its own file: DuckDB locks a database per process, and other tests keep the shared
    demo open in this one.
    """
    from data.demos import demo

    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    LOGIN.update(demo.build(db)["accounts"])
    # Ground truth read before the server takes the database's lock.
    with duckdb.connect(str(db), read_only=True) as con:
        HUAYANG_COMMUNITIES[:] = con.execute(
            "SELECT count(*) FROM region WHERE level = 'community' AND parent_id = '310105001'"
        ).fetchone()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    try:
        with bench_browser.serve(db, log) as (url, _):
            yield url
    finally:
        print(log.read_text(encoding="utf-8", errors="replace")[-3000:])


def test_coverage_map_renders_offline(app_url: str) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    ARTIFACTS.mkdir(exist_ok=True)
    blocked: list[str] = []
    local: list[str] = []

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=bench_browser.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1500}, locale="zh-CN")
        context.route("**/*", offline_guard(blocked, local))
        page = context.new_page()
        first_sign_in(page, app_url, "demo_leader", LOGIN["demo_leader"], "browser-test-pass-2026")
        page.get_by_text("覆盖地图", exact=False).first.wait_for(timeout=60_000)
        map_frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
        polygons = map_frame.locator("path.leaflet-interactive")
        polygons.nth(9).wait_for(state="attached", timeout=60_000)
        n_polygons = polygons.count()
        legend = map_frame.locator(".anju-legend")
        legend.wait_for(timeout=10_000)
        legend_text = legend.inner_text()
        page.wait_for_timeout(1500)  # let tiles-free map settle before the screenshot
        page.screenshot(path=str(ARTIFACTS / "coverage_map.png"), full_page=True)
        metrics = page.locator("[data-testid='stMetricValue']").all_inner_texts()
        banner = page.get_by_text("演示数据", exact=False).count()

        # Drill-down: clicking the first street (华阳路, lowest region_id) shows its communities.
        polygons.first.dispatch_event("click")
        page.get_by_text("华阳路第1社区", exact=False).first.wait_for(
            state="attached", timeout=30_000
        )
        map_frame.locator(".anju-legend").wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        n_communities = map_frame.locator("path.leaflet-interactive").count()
        page.screenshot(path=str(ARTIFACTS / "coverage_map_drilldown.png"), full_page=True)

        # A reload (F5) and a bookmarked page keep the user signed in (session cookie).
        page.reload(wait_until="domcontentloaded")
        page.get_by_text("覆盖地图", exact=False).first.wait_for(timeout=60_000)
        page.locator("[data-testid='stMetricValue']").first.wait_for(timeout=60_000)
        after_reload = page.get_by_text("安居 · 登录").count()
        page.screenshot(path=str(ARTIFACTS / "after_reload.png"), full_page=True)
        page.goto(f"{app_url}/weekly", wait_until="domcontentloaded")
        page.get_by_text("周报", exact=False).first.wait_for(timeout=60_000)
        page.locator("[data-testid='stMetricValue']").first.wait_for(timeout=60_000)
        after_bookmark = page.get_by_text("安居 · 登录").count()
        # The burn-up with its forecast band and the 预测检验 note drawn before the screenshot.
        page.get_by_text("预测检验", exact=False).first.wait_for(timeout=60_000)
        page.locator("[data-testid='stImage'] img").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        forecast_note = page.get_by_text("80%把握", exact=False).count()
        page.screenshot(path=str(ARTIFACTS / "bookmarked_weekly.png"), full_page=True)
        # Signing out ends the session: a reload then shows the login form.
        page.get_by_role("button", name="退出登录").click()
        page.get_by_text("安居 · 登录").wait_for(timeout=30_000)
        page.reload(wait_until="domcontentloaded")
        page.get_by_text("安居 · 登录").wait_for(timeout=30_000)
        browser.close()

    assert blocked == [], f"requests left localhost: {blocked}"
    assert n_polygons >= 10, f"expected ≥10 street polygons on the map, saw {n_polygons}"
    assert "安装完成率" in legend_text
    assert "6,460" in metrics
    assert banner >= 1
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in local), (
        "Leaflet not served locally"
    )
    assert n_communities == HUAYANG_COMMUNITIES[0], "drill-down did not show 华阳路's communities"
    assert after_reload == 0, "a reload signed the user out"
    assert after_bookmark == 0, "a bookmarked page signed the user out"
    assert forecast_note >= 1, "周报 shows no forecast range"


def test_device_and_service_pages_render_offline(app_url: str) -> None:
    """设备状态 and 服务保障 as the fire office sees them, maps drawn, nothing remote."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    ARTIFACTS.mkdir(exist_ok=True)
    blocked: list[str] = []

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=bench_browser.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1600}, locale="zh-CN")
        context.route("**/*", offline_guard(blocked))
        page = context.new_page()
        first_sign_in(page, app_url, "demo_fire", LOGIN["demo_fire"], "browser-test-fire-2026")
        shown = {}
        for title, shot, marker in (
            ("设备状态", "devices.png", "需上门的设备"),
            ("服务保障", "service.png", "时效：对照项目标准"),
        ):
            page.get_by_role("link", name=title).first.click()
            page.get_by_text(marker, exact=False).first.wait_for(timeout=60_000)
            frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']").first
            frame.locator("path.leaflet-interactive").nth(20).wait_for(
                state="attached", timeout=60_000
            )
            frame.locator(".anju-legend").wait_for(timeout=10_000)
            page.wait_for_timeout(2000)
            page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
            # The page scrolls inside Streamlit's container: bring the last map into view too.
            page.locator(
                "iframe[title='streamlit_folium.st_folium']"
            ).last.scroll_into_view_if_needed()
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / shot.replace(".png", "_maps.png")))
            shown[title] = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
        browser.close()

    assert blocked == [], f"requests left localhost: {blocked}"
    assert "从未上报" in shown["设备状态"]
    assert "按时办结率" in shown["服务保障"]


def _settled(page, wait_ms: int = 1500) -> None:
    """Wait until the script run is over (no running indicator) and maps have drawn."""
    page.wait_for_timeout(wait_ms)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stApp']\")"
        "?.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector(\"[data-testid='stSpinner']\")",
        timeout=180_000,
    )
    page.wait_for_timeout(wait_ms)


def _drag_over_text(page) -> str:
    """The drop zone's drawn text while a file is dragged over it (Streamlit's own is English)."""
    zone = page.locator("[data-testid='stFileUploaderDropzone']").first
    files = page.evaluate_handle(
        "() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'a.xlsx')); return d; }"
    )
    zone.dispatch_event("dragenter", {"dataTransfer": files})
    overlay = "[data-testid='stFileUploaderDropzone'] > div:not([data-testid]) > span"
    page.locator(overlay).first.wait_for(state="attached", timeout=10_000)
    text = page.evaluate(
        f"() => getComputedStyle(document.querySelector(\"{overlay}\"), '::after').content"
    )
    zone.dispatch_event("dragleave", {"dataTransfer": files})
    return text


def test_every_page_in_both_languages(app_url: str) -> None:
    """A screenshot of every page in Chinese and in English, as the administrator
    (who may open all of them) sees it; the file uploader speaks the interface language."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    out = ARTIFACTS / "pages"
    out.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []

    from dashboard.i18n import t
    from dashboard.navigation import PAGES
    from data.users import access

    shots: dict[str, list[str]] = {"zh": [], "en": []}
    upload_text: dict[str, str] = {}
    drop_text: dict[str, str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=bench_browser.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
        context.route("**/*", offline_guard(blocked))
        page = context.new_page()
        first_sign_in(page, app_url, "demo_admin", LOGIN["demo_admin"], "browser-test-admin-2026")
        links = page.locator("[data-testid='stSidebarNavLink']")
        links.nth(len(PAGES) - 1).wait_for(timeout=60_000)
        for lang in ("zh", "en"):
            if lang == "en":  # switch in the sidebar: the session keeps it across pages
                page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
                page.get_by_role("option", name="English").click()
                _settled(page)
            for i, spec in enumerate(PAGES):
                links.nth(i).click()
                # The page's own title (Chinese, or English where the page has one).
                titles = {access.PAGE_TITLES[spec.key], t(f"page.{spec.key}", lang)}
                page.locator("h1", has_text=re.compile("|".join(titles))).first.wait_for(
                    timeout=180_000
                )
                _settled(page)
                name = f"{spec.key}_{lang}.png"
                page.screenshot(path=str(out / name), full_page=True)
                shots[lang].append(name)
                if spec.key == "import":
                    upload_text[lang] = page.evaluate(
                        "() => { const e = document.querySelector("
                        "\"[data-testid='stFileUploaderDropzoneInstructions']\");"
                        " return e ? getComputedStyle(e, '::after').content : ''; }"
                    )
                    drop_text[lang] = _drag_over_text(page)
        browser.close()

    assert blocked == [], f"requests left localhost: {blocked}"
    assert len(shots["zh"]) == len(shots["en"]) == len(PAGES)
    assert "单个文件不超过 50 MB" in upload_text["zh"]
    assert "50 MB per file" in upload_text["en"]
    assert "松开鼠标即可上传" in drop_text["zh"]
    assert "Drop the file to upload" in drop_text["en"]


def test_bench_times_a_page_until_its_script_has_finished(demo_db, tmp_path) -> None:
    """`anju bench --browser` waits for the app's own script state (the status widget is not
    drawn with toolbarMode minimal), so a page's time is not just its title's."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    found = bench_browser.browser_timings(db, ["weekly"])
    entry = found["browser"]["weekly"]
    assert "error" not in entry, entry
    assert entry["first_draw_ms"] > 0 and entry["rerun_ms"] > 0
    assert found["server_peak_rss_mb"] > 0
