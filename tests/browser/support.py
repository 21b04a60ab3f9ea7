"""Helpers for browser tests: where Chromium and axe-core are, sign-in, scans, screenshots."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # Debian's package
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery"  # what tests.crm.factories.UserFactory sets
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # what make_staff activates


def browser_missing_reason() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not CHROMIUM.exists():
        return (
            f"needs Chromium at {CHROMIUM} (Debian: apt-get install chromium); "
            "set REQUIRE_BROWSER_TESTS=1 to make this a failure"
        )
    if not AXE.exists():
        return (
            f"needs axe-core at {AXE.relative_to(ROOT)} (run `make setup`); "
            "set REQUIRE_BROWSER_TESTS=1 to make this a failure"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs the playwright package (pip install -r requirements-dev.txt)"
    return ""


def url(live_server, path: str) -> str:
    return live_server.url + path


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The current code an authenticator app would show for `secret`."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in(page, live_server, email: str, password: str = PASSWORD, *, totp_secret=None):
    """Sign in through the real login page, answering allauth's code prompt if it comes."""
    page.goto(url(live_server, "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=False).first.fill(password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Sign In").click()
    if "/accounts/2fa/authenticate/" in page.url:
        assert totp_secret, "allauth asked for a code but no TOTP secret was given"
        page.get_by_label("Code").fill(totp_code(totp_secret))
        with page.expect_navigation():
            page.locator("main form").get_by_role("button", name="Sign In").click()


def force_sign_in(context, live_server, client, user) -> None:
    """Reuse a Django test-client session in the browser (for scans, not journeys)."""
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core on the page; one line per serious or critical violation."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG under test-artifacts/ (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name) + ".png")
    page.screenshot(path=str(path), full_page=full_page)
    return path
