"""What the browser tests share: the guard that keeps the page offline, and a demo user's first
sign-in (the one-time password, then a new one, as the app requires)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlparse

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def offline_guard(blocked: list[str], local: list[str] | None = None) -> Callable[[object], None]:
    """A route handler that lets local requests (and data:, blob:, about:) through, listed in
    `local` if given, and aborts every other one, listed in `blocked`."""

    def guard(route) -> None:
        url = urlparse(route.request.url)
        if url.scheme in {"data", "blob", "about"} or (url.hostname or "") in LOCAL_HOSTS:
            if local is not None:
                local.append(route.request.url)
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    return guard


def first_sign_in(page, url: str, username: str, one_time: str, new_password: str) -> None:
    """Open the app at `url` and sign in as `username` with its one-time password, then set
    `new_password` as the app asks on a first sign-in."""
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(one_time)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("首次登录：请修改密码").wait_for(timeout=30_000)
    page.get_by_label("当前（一次性）密码").fill(one_time)
    page.get_by_label("新密码", exact=True).fill(new_password)
    page.get_by_label("再次输入新密码").fill(new_password)
    page.get_by_role("button", name="修改密码").click()
