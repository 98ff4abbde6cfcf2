"""Screenshots of the demo as a newcomer meets it: `make screenshots`.

Builds the demo in a scratch SQLite database (the embedded default, the demo's own data built
today), serves it with ``cocity runserver`` on a free port, and takes full-page screenshots in
Debian's Chromium (never a downloaded browser) of the home page, a space, an event, a process,
the pledges campaign, a pact and the insights page, at 320, 768 and 1280 px, in English,
French and Arabic (right to left). They land in ``var/screenshots/<lang>-<width>-<page>.png``
with an ``index.html`` to look at them side by side.

    make screenshots                      # everything
    .venv/bin/python tools/screenshots.py --pages home,space --widths 320 --langs fr
"""

from __future__ import annotations

import argparse
import html
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
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
WIDTHS = (320, 768, 1280)
LANGS = ("en", "fr", "ar")
# The browser's own language for each (its date fields and number inputs follow it).
BROWSER_LOCALES = {
    "ar": "ar-EG",
    "de": "de-DE",
    "el": "el-GR",
    "es": "es-ES",
    "fr": "fr-FR",
    "nl": "nl-NL",
}

# Which demo object each page shows, chosen by what a newcomer would open first; printed as
# JSON by a snippet run with the server's settings and database.
FIND_PAGES = r"""
import json
from django.utils import timezone
from django.urls import reverse
from cocity.network.models import Space
from cocity.events.models import Event
from cocity.plans.models import Process
from cocity.pledges.models import Campaign
from cocity.commons.models import Pact

now = timezone.now()
space = (Space.objects.filter(name__icontains="equality").order_by("parent_id", "pk").first()
         or Space.objects.order_by("pk").first())
published = Event.objects.filter(status="published")
upcoming = published.filter(starts_at__gte=now).order_by("starts_at")
event = (upcoming.filter(speakers__isnull=False).first() or upcoming.first()
         or published.order_by("-starts_at").first())
today = now.date()
current = Process.objects.filter(phases__starts_on__lte=today, phases__ends_on__gte=today)
process = (current.filter(phases__kind="collect", phases__starts_on__lte=today,
                          phases__ends_on__gte=today).order_by("pk").first()
           or current.order_by("pk").first() or Process.objects.order_by("-pk").first())
campaign = Campaign.objects.order_by("pk").first()
pact = Pact.objects.filter(state="signed").order_by("pk").first() or Pact.objects.first()
pages = {
    "home": "/",
    "space": space.get_absolute_url() if space else None,
    "event": event.get_absolute_url() if event else None,
    "process": process.get_absolute_url() if process else None,
    "campaign": campaign.get_absolute_url() if campaign else None,
    "pact": pact.get_absolute_url() if pact else None,
    "insights": reverse("insights:index"),
}
print(json.dumps(pages))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-m", "cocity", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if result.returncode != 0:
        raise SystemExit(f"cocity {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the demo server stopped before answering")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit("the demo server did not answer in 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO / "var" / "screenshots"))
    parser.add_argument("--pages", default="", help="comma-separated subset of the pages")
    parser.add_argument("--widths", default=",".join(map(str, WIDTHS)))
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--url", default="", help="an already running demo (skips the build)")
    args = parser.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    widths = [int(w) for w in args.widths.split(",") if w]
    langs = [lang for lang in args.langs.split(",") if lang]

    tmp = Path(tempfile.mkdtemp(prefix="cocity-screenshots-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "COCITY_SCREENSHOT_SETTINGS", "cocity.settings.local"
            ),
            "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}",
            "COCITY_DATA_DIR": str(tmp),
            "PYTHONPATH": str(REPO / "src"),
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "false",  # what people see: no debug toolbar, real error pages
            # This machine reaches no tile server: the maps as they are drawn without tiles.
            "COCITY_MAP_TILES_URL": os.environ.get("COCITY_MAP_TILES_URL", ""),
        }
    )
    env.pop("REDIS_URL", None)
    process = None
    url = args.url.rstrip("/")
    try:
        if not url:
            print("building the demo in", tmp, flush=True)
            _run(["migrate", "--noinput"], env)
            _run(["demo-data"], env)
            _run(["collectstatic", "--noinput"], {**env, "STATIC_ROOT": str(tmp / "static")})
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            address = f"127.0.0.1:{port}"
            log = (tmp / "server.log").open("wb")
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "cocity", "runserver", "--noreload", "--insecure", address],
                env=env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            _wait_until_up(url, process)
        pages: dict[str, str | None] = json.loads(
            _run(["shell", "-c", FIND_PAGES], env).strip().splitlines()[-1]
        )
        if args.pages:
            wanted = set(args.pages.split(","))
            pages = {name: path for name, path in pages.items() if name in wanted}
        missing = [name for name, path in pages.items() if not path]
        if missing:
            print("no demo object for:", ", ".join(missing), file=sys.stderr)

        from playwright.sync_api import sync_playwright

        shots: list[tuple[str, str, int, Path, int]] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang in langs:
                for width in widths:
                    context = browser.new_context(
                        viewport={"width": width, "height": 900},
                        locale=BROWSER_LOCALES.get(lang, "en-GB"),
                        timezone_id="Europe/Paris",
                    )
                    context.add_cookies([{"name": "cocity_language", "value": lang, "url": url}])
                    page = context.new_page()
                    for name, path in pages.items():
                        if not path:
                            continue
                        response = page.goto(url + path, wait_until="networkidle")
                        status = response.status if response else 0
                        # Scroll to the end and back so lazy-loaded pictures below the fold
                        # load, as they do for a person reading down the page.
                        page.evaluate(
                            "async () => { for (let y = 0; y < document.body.scrollHeight;"
                            " y += 600) { window.scrollTo(0, y);"
                            " await new Promise(r => setTimeout(r, 30)); }"
                            " window.scrollTo(0, 0); }"
                        )
                        page.wait_for_load_state("networkidle")
                        target = out / f"{lang}-{width}-{name}.png"
                        page.screenshot(path=str(target), full_page=True)
                        shots.append((name, lang, width, target, status))
                        flag = "" if status == 200 else f"  <- HTTP {status}"
                        print(f"{target.relative_to(out.parent)}  {path}{flag}", flush=True)
                    context.close()
            browser.close()
        rows = "\n".join(
            f"<figure><figcaption>{html.escape(f'{name} · {lang} · {width} px')}</figcaption>"
            f'<img src="{html.escape(target.name)}" width="{min(width, 640)}" alt=""></figure>'
            for name, lang, width, target, _status in sorted(shots)
        )
        (out / "index.html").write_text(
            "<!doctype html><meta charset=utf-8><title>cocity screenshots</title>"
            "<style>body{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}"
            "figure{margin:0;border:1px solid #ccc}</style>\n" + rows + "\n"
        )
        print(f"{len(shots)} screenshots in {out} (open index.html)")
        if any(status != 200 for *_rest, status in shots):
            raise SystemExit("some pages did not answer 200")
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
