"""The real server in a subprocess, its own database, a real Chromium (Debian's) driving it.

* ``server``: ``cocity runserver --noreload`` on a free 127.0.0.1 port with the test
  settings, a fresh database (a temporary SQLite file, or a PostgreSQL database created for the
  run when ``DATABASE_URL`` points at PostgreSQL), mail written to files (``server.outbox``).
* ``server.seed(scenario)``: runs ``tests/browser/seed.py`` against that database and
  returns what it created (slugs, e-mail addresses...).
* ``browser``: Debian's ``/usr/bin/chromium`` through Playwright (never a downloaded browser).
* ``page``: a fresh context (no cookies) per test; ``axe_page`` the same with CSP bypassed so
  axe-core can be injected.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COCITY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cocity() -> list[str]:
    return [sys.executable, "-m", "cocity"]


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    mail_dir: Path
    log_path: Path
    seeds: dict[str, Any] = field(default_factory=dict)

    def seed(self, scenario: str, **kwargs: str) -> dict[str, Any]:
        """Run a seeding scenario of tests/browser/seed.py in the server's database."""
        args = [f"{k}={v}" for k, v in kwargs.items()]
        result = subprocess.run(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-m", "tests.browser.seed", scenario, *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"seed {scenario} failed:\n{result.stdout}\n{result.stderr}")
        return dict(json.loads(result.stdout.strip().splitlines()[-1]))

    def outbox(self) -> list[Message]:
        """Every message the server has sent so far, oldest first."""
        messages: list[Message] = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(message_from_bytes(chunk.strip(b"\n")))
        return messages

    def mail_to(self, address: str, timeout: float = 10.0) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.outbox() if address in str(m.get("To", ""))]
            if found:
                return found[-1]
            time.sleep(0.1)
        raise AssertionError(f"no mail to {address} in {self.mail_dir}")

    def link_in(self, message: Message, pattern: str) -> str:
        """The first link in a mail matching ``pattern`` (a regex on the path)."""
        parts = message.walk() if message.is_multipart() else [message]
        for part in parts:
            if part.get_content_maintype() != "text":
                continue
            payload = part.get_payload(decode=True)
            text = payload.decode(part.get_content_charset() or "utf-8") if payload else ""
            for link in re.findall(r"https?://[^\s\"'<>]+", text):
                if re.search(pattern, link):
                    # The mail names the site as the request did; keep only the path.
                    bits = urlsplit(link)
                    return urlunsplit(("", "", bits.path, bits.query, ""))
        raise AssertionError(f"no link matching {pattern!r} in the mail")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _postgres_database(url: str) -> tuple[str, str] | None:
    """(admin URL, new database URL) when DATABASE_URL is PostgreSQL, else None."""
    bits = urlsplit(url)
    if bits.scheme not in ("postgres", "postgresql", "pgsql", "psql"):
        return None
    name = f"cocity_browser_{os.getpid()}"
    return url, urlunsplit((bits.scheme, bits.netloc, f"/{name}", bits.query, ""))


def _pg_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.autocommit = True
        conn.execute(sql)  # type: ignore[call-overload]


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer in time:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    tmp = Path(tempfile.mkdtemp(prefix="cocity-browser-"))
    mail_dir = tmp / "mail"
    mail_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.pop("REDIS_URL", None)  # its own cache on disk (below), shared only with the seeds
    pg = _postgres_database(os.environ.get("DATABASE_URL", ""))
    if pg:
        admin_url, database_url = pg
        name = urlsplit(database_url).path.lstrip("/")
        _pg_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_execute(admin_url, f'CREATE DATABASE "{name}"')
    else:
        database_url = f"sqlite:///{tmp / 'browser.sqlite3'}"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cocity.settings.test",
            "DATABASE_URL": database_url,
            "COCITY_DATA_DIR": str(tmp),
            # One cache for the server and the seeds (settings/test.py): a seed's writes make
            # the server's cached pages and lists stale, as in production with Redis.
            "COCITY_TEST_CACHE_DIR": str(tmp / "cache"),
            "COCITY_TEST_FILES_ON_DISK": "1",  # seeds and server share uploaded files
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
        }
    )
    subprocess.run(  # noqa: S603
        [*_cocity(), "migrate", "--noinput"],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [*_cocity(), "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(url=url, env=env, mail_dir=mail_dir, log_path=log_path)
    try:
        _wait_until_up(url, process, log_path)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if pg:
            _pg_execute(pg[0], f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _context(browser: Any, server: LiveServer, **options: Any) -> Any:
    context = browser.new_context(base_url=server.url, locale="en-GB", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser: Any, server: LiveServer) -> Iterator[Any]:
    context = _context(browser, server)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci).")
    return AXE.read_text()


@pytest.fixture
def axe_page(browser: Any, server: LiveServer) -> Iterator[Any]:
    """A page whose context ignores the site's CSP, so axe-core can be injected (only here)."""
    context = _context(browser, server, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def dialogs(page: Any) -> list[str]:
    """Every JavaScript dialog (alert, confirm, prompt) the page opens; none should."""
    opened: list[str] = []

    def on_dialog(dialog: Any) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened
