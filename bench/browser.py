"""`anju bench --browser`: every page in a real local Chromium (Playwright) against a Streamlit
server of its own, and that server's peak memory.

"Drawn" means: Streamlit's running indicator is gone, no element is still stale from the previous
run, the page's main block shows content, and every map frame on the page has its polygons.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import queries
from bench.pages import ROOT, page_role
from data.demos import demo
from data.store import connection
from data.users import access, accounts, sessions

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No background networking: on a closed network Chromium's own lookups (updates, sync, QUIC)
# otherwise wait on timeouts while pages load.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 600_000  # a page at a million households may take minutes before the work lands

# True once the page is drawn (see the module docstring). Map frames are checked from inside.
_DRAWN_JS = """
() => {
  const doc = document;
  // The script's own state (the status widget is not drawn with toolbarMode "minimal"): the
  // page is not drawn while the script still runs and sends elements.
  const app = doc.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') { return false; }
  if (doc.querySelector('[data-stale="true"]')) { return false; }
  if (doc.querySelector('[data-testid="stSkeleton"]')) { return false; }
  const main = doc.querySelector('[data-testid="stMainBlockContainer"]');
  if (!main || !main.querySelector('h1')) { return false; }
  for (const frame of main.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')) {
    const inner = frame.contentDocument;
    if (!inner || !inner.querySelector('path.leaflet-interactive')) { return false; }
  }
  return true;
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit 提前退出，返回码 {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"streamlit 在 {timeout}s 内未就绪：{url}")


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory of process `pid` so far (VmHWM), in MB; None once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def session_tokens(db: Path, roles: set[str]) -> dict[str, str]:
    """A signed-in session per role for the bench's own accounts (`bench_<role>`).

    The account is created (or its password reset) and given a password of its own, so no
    first-login form stands between navigation and the page.
    """
    con = connection.connect(db)
    tokens = {}
    try:
        for role in sorted(roles):
            name = f"bench_{role}"
            street = None
            if role == "street":
                streets = queries.run(
                    con,
                    "region_shapes",
                    programme_id=demo.PROGRAMME,
                    level="street",
                    street_ids=None,
                )
                street = str(streets["region_id"].min())
            if accounts.user_by_name(con, name) is None:
                otp = accounts.add_user(con, name, role, street, actor="bench")
            else:
                otp = accounts.reset_password(con, name, actor="bench")
            accounts.change_password(con, name, otp, f"Bench-{secrets.token_urlsafe(12)}")
            tokens[role] = sessions.start(con, name)
    finally:
        con.close()
    return tokens


@contextmanager
def serve(db: Path, log: Path | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app on `db` at a free local port, until the block ends: (url, process). Its output
    goes to `log` (else a temporary file) and is printed if the server does not come up."""
    port = _free_port()
    if log is None:
        with tempfile.TemporaryFile("w+") as out:
            yield from _serve(db, port, out)
    else:
        with log.open("w+") as out:
            yield from _serve(db, port, out)


def _serve(db: Path, port: int, log) -> Iterator[tuple[str, subprocess.Popen]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "streamlit_app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, "ANJU_DB": str(db)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            _wait_healthy(url, proc)
        except (RuntimeError, TimeoutError):
            log.seek(0)
            print(log.read()[-3000:], file=sys.stderr)
            raise
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_drawn(page, started: float) -> float:
    # The running indicator appears only once the script starts: let it appear first (a page
    # may also finish before it is ever seen), then wait for the drawn state.
    page.wait_for_timeout(150)
    page.wait_for_function(_DRAWN_JS, timeout=TIMEOUT_MS, polling=50)
    return round((time.perf_counter() - started) * 1000, 1)


def _change_widget(page) -> tuple[str, float]:
    """Change one widget of the page: the first select box's next option, else a plain rerun.
    Returns the widget and when the change was made (opening and skipping boxes is not timed)."""
    boxes = page.locator('[data-testid="stMainBlockContainer"] [data-testid="stSelectbox"]')
    for i in range(min(boxes.count(), 3)):
        box = boxes.nth(i)
        try:
            # Streamlit 1.67's select box is a combo box; a disabled or covered one is skipped.
            box.get_by_role("combobox").click(timeout=5_000)
            options = page.locator('[role="option"]')
            options.first.wait_for(timeout=10_000)
        except Exception:
            page.keyboard.press("Escape")
            continue
        label = f"selectbox {box.locator('label').inner_text()[:20]!r}"
        option = options.nth(1 if options.count() > 1 else 0)
        started = time.perf_counter()
        option.click()
        return label, started
    started = time.perf_counter()
    page.keyboard.press("r")  # Streamlit's own "Rerun" shortcut
    return "rerun (r)", started


def _warm_up(browser, url: str, token: str) -> None:
    # The server's first script run imports the whole app (seconds): a once-per-process cost,
    # paid here on the landing page so that no page's first draw carries it.
    context = browser.new_context()
    context.add_cookies([{"name": sessions.COOKIE, "value": token, "url": url}])
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    _wait_drawn(page, started)
    context.close()


def browser_timings(db: Path, pages: list[str] | None = None) -> dict:
    """First draw and widget-change redraw per page (ms), and the server's peak RSS (MB)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"找不到 Chromium：{CHROMIUM}（apt-get install chromium）")
    keys = pages or list(access.PAGE_TITLES)
    roles = {key: page_role(key) for key in keys}
    tokens = session_tokens(db, set(roles.values()))
    out: dict[str, dict] = {}
    with serve(db) as (url, proc), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            _warm_up(browser, url, tokens[roles[keys[0]]])
            for key in keys:
                context = browser.new_context(
                    viewport={"width": 1440, "height": 1500}, locale="zh-CN"
                )
                # Nothing leaves the machine: tiles and any remote asset are refused.
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                        else route.abort()
                    ),
                )
                context.add_cookies(
                    [{"name": sessions.COOKIE, "value": tokens[roles[key]], "url": url}]
                )
                page = context.new_page()
                entry: dict = {"role": roles[key]}
                try:
                    started = time.perf_counter()
                    page.goto(f"{url}/{key}", wait_until="domcontentloaded")
                    entry["first_draw_ms"] = _wait_drawn(page, started)
                    entry["widget"], started = _change_widget(page)
                    entry["rerun_ms"] = _wait_drawn(page, started)
                except Exception as exc:  # one page failing still reports the others
                    entry["error"] = str(exc).splitlines()[0][:300]
                out[key] = entry
                context.close()
        finally:
            browser.close()
            rss = peak_rss_mb(proc.pid)
    return {"browser": out, "server_peak_rss_mb": rss}
