"""Browser test harness: Playwright driving the machine's own chromium (never a downloaded
browser) against a real server process started on a fresh SQLite database with the demo data.

Skipped, with the reason printed in the summary, when no chromium is installed; `.ci/run`
installs Debian's chromium so CI always runs them. Set CHROMIUM_PATH to use another binary.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# username -> base32 TOTP key of the demo accounts that sign in with a code; see totp_code().
TOTP_SECRETS: dict[str, str] = {}
_LAST_STEP: dict[str, int] = {}


def totp_code(username: str) -> str:
    """The code the person's authenticator app would show. A code is accepted once per 30-second
    step, so a second sign-in in the same step uses the next step's code (the server accepts one
    step of drift), and a third waits for the step to change."""
    import base64

    from django_otp.oath import hotp

    key = base64.b32decode(TOTP_SECRETS[username])
    while True:
        now = int(time.time()) // 30
        step = max(now, _LAST_STEP.get(username, -1) + 1)
        if step <= now + 1:
            break
        time.sleep(1)
    _LAST_STEP[username] = step
    return f"{hotp(key, step):06d}"


def find_chromium() -> str | None:
    if "CHROMIUM_PATH" in os.environ:  # an explicit choice, even an empty one, wins
        path = os.environ["CHROMIUM_PATH"]
        return path if path and Path(path).exists() else None
    candidates = [shutil.which("chromium"), shutil.which("chromium-browser")]
    return next((c for c in candidates if c and Path(c).exists()), None)


CHROMIUM = find_chromium()
SKIP_REASON = "browser tests skipped: no chromium found (apt-get install chromium, or set CHROMIUM_PATH)"


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if CHROMIUM is None and browser_items:
        if os.environ.get("GONGKAI_REQUIRE_BROWSER"):
            raise pytest.UsageError("GONGKAI_REQUIRE_BROWSER is set but " + SKIP_REASON)
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter):
    if CHROMIUM is None:
        terminalreporter.write_line(SKIP_REASON.upper(), yellow=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """A running Gongkai on 127.0.0.1 with the demo district; yields (base_url, credentials)."""
    var = tmp_path_factory.mktemp("site")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "SECRET_KEY"))},
        "DEBUG": "true",
        "GONGKAI_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'site.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "APPLICATION_MIN_FILL_SECONDS": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300)
    credentials_file = var / "credentials.txt"
    subprocess.run(
        [*manage, "load_demo", "--credentials-file", str(credentials_file)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    credentials = {}
    for line in credentials_file.read_text(encoding="utf-8").splitlines():
        _agency, _role, username, password, *secret = line.split("\t")
        credentials[username] = password  # also "number -> query code" of a demo application
        if secret:  # administrators and leaders: the key of their authenticator app (AUTH-04)
            TOTP_SECRETS[username] = secret[0]
    port = free_port()
    log = open(var / "server.log", "w")  # noqa: SIM115 - closed after the session
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        raise RuntimeError("the test server did not start: " + (var / "server.log").read_text())
    yield f"http://127.0.0.1:{port}", credentials
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    # bypass_csp lets axe-core be injected; the site itself runs with its normal CSP.
    context = browser.new_context(locale="zh-CN", bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
