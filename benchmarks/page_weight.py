"""Page weight on first load: what a browser at 1280 px downloads for a page, covers included.

    .venv/bin/python benchmarks/page_weight.py                   # the demo, built in a temp dir
    .venv/bin/python benchmarks/page_weight.py --url http://127.0.0.1:8000   # a running site
    .venv/bin/python benchmarks/page_weight.py --page /events/ --page /spaces/fairville/

Without ``--url``: a fresh SQLite database in a temporary directory, ``cocity migrate``,
``cocity demo-data`` (which draws a cover for every space, event, commons and pact), and
``cocity runserver`` on a free port with the local settings. Each page is loaded once in a new
browser context (empty cache) in headless Chromium (``/usr/bin/chromium`` through Playwright,
the flags of the browser tests) with a 1280 x 800 window, without scrolling. Chromium's network
events give the bytes each response took on the wire (``encodedDataLength``: headers and body)
and its type; the script sums them at the ``load`` event and again once the network has been
idle for a second (lazy images near the window start after ``load``; a page loaded again by
``timezone.js`` for a visitor whose zone is not the site's counts twice, its static files from
the cache), and prints a row per page with the images' share. ``runserver`` sends nothing
compressed: the last column counts the text responses (HTML, CSS, JavaScript, SVG, JSON) as
they would weigh gzipped, as a server in front (nginx, ``docs/deployment.md``) sends them;
images are counted as they are (WebP).

The figure to reach (issue 16): the home page and a space page under 500 kB on first load at
1280 px with a cover on every card. Results: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("COCITY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/browser/conftest.py
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PAGES = ["/", "/spaces/fairville/", "/spaces/", "/events/", "/commons/"]
TEXT_TYPES = ("Document", "Stylesheet", "Script", "XHR", "Fetch")


@dataclass
class Resource:
    url: str
    kind: str = ""
    mime: str = ""
    wire: int = 0  # bytes on the wire, headers included
    body: bytes | None = None


@dataclass
class Weight:
    page: str
    at_load: int = 0
    requests_at_load: int = 0
    settled: int = 0
    requests: int = 0
    images: int = 0
    image_requests: int = 0
    gzip: int = 0
    resources: list[Resource] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def demo_server() -> Iterator[str]:
    """The demo in a temporary directory, served by runserver; removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="cocity-weight-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cocity.settings.local",
            "COCITY_DATA_DIR": str(tmp),
            "COCITY_WARM_UP": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    cocity = [sys.executable, "-m", "cocity"]
    started = time.monotonic()
    for step in (["migrate", "--noinput"], ["demo-data"]):
        subprocess.run([*cocity, *step], env=env, cwd=REPO, check=True, capture_output=True)
    print(f"demo built in {time.monotonic() - started:.0f} s", file=sys.stderr)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen(
        [*cocity, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310 - our server
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the server did not start: {tmp / 'server.log'}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def weigh(
    browser: Any, base: str, path: str, *, width: int, height: int, zone: str | None
) -> Weight:
    """One page in a new context: an empty cache, kept for the visit (a reload reuses it)."""
    options: dict[str, Any] = {"viewport": {"width": width, "height": height}}
    if zone:
        options["timezone_id"] = zone
    context = browser.new_context(**options)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    resources: dict[str, Resource] = {}
    loaded = {"done": False, "bytes": 0, "count": 0}

    def on_response(event: dict[str, Any]) -> None:
        response = event["response"]
        resources[event["requestId"]] = Resource(
            url=response["url"], kind=event.get("type", ""), mime=response.get("mimeType", "")
        )

    def on_finished(event: dict[str, Any]) -> None:
        resource = resources.get(event["requestId"])
        if resource is not None:
            resource.wire = int(event.get("encodedDataLength", 0))
            if resource.kind in TEXT_TYPES or resource.mime == "image/svg+xml":
                try:
                    got = cdp.send("Network.getResponseBody", {"requestId": event["requestId"]})
                    body = got.get("body", "")
                    resource.body = body.encode() if not got.get("base64Encoded") else b""
                except Exception:  # a body gone from the buffer: counted as sent
                    resource.body = None

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)

    def on_load() -> None:
        loaded["done"] = True
        loaded["bytes"] = sum(r.wire for r in resources.values())
        loaded["count"] = sum(1 for r in resources.values() if r.wire)

    page.on("load", lambda _page: on_load())
    page.goto(base.rstrip("/") + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    done = [r for r in resources.values() if r.wire]
    weight = Weight(
        page=path,
        at_load=loaded["bytes"],
        requests_at_load=loaded["count"],
        settled=sum(r.wire for r in done),
        requests=len(done),
        images=sum(r.wire for r in done if r.kind == "Image"),
        image_requests=sum(1 for r in done if r.kind == "Image"),
        resources=done,
    )
    weight.gzip = sum(
        len(gzip.compress(r.body, 6)) if r.body else r.wire
        for r in done
        if r.kind in TEXT_TYPES or r.mime == "image/svg+xml"
    ) + sum(r.wire for r in done if not (r.kind in TEXT_TYPES or r.mime == "image/svg+xml"))
    context.close()
    return weight


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", help="a running site (default: the demo, built here)")
    parser.add_argument("--page", action="append", help=f"a path (default: {' '.join(PAGES)})")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--verbose", action="store_true", help="every response of every page")
    parser.add_argument(
        "--timezone",
        help="the browser's time zone (default: the machine's; a visitor whose zone is not the "
        "site's gets the page again once timezone.js has set it)",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    pages = args.page or PAGES
    with demo_server() if not args.url else _given(args.url) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            weights = [
                weigh(browser, base, p, width=args.width, height=args.height, zone=args.timezone)
                for p in pages
            ]
        finally:
            browser.close()
    print(
        f"\nFirst load at {args.width} x {args.height} px, empty cache, no scrolling (kB = 1000 B)"
    )
    print(
        "| page | at load | requests | after 1 s idle | requests | of which images | images "
        "| text gzipped, total |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for w in weights:
        print(
            f"| `{w.page}` | {w.at_load / 1000:.0f} kB | {w.requests_at_load} | "
            f"{w.settled / 1000:.0f} kB | {w.requests} | {w.images / 1000:.0f} kB | "
            f"{w.image_requests} | {w.gzip / 1000:.0f} kB |"
        )
        if args.verbose:
            for r in sorted(w.resources, key=lambda r: -r.wire):
                print(f"    {r.wire:>9} {r.kind:<10} {r.url}")


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    main()
