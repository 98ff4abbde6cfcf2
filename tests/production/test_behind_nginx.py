"""A production-like installation serves and protects uploaded files: nginx (Debian's package)
in front of gunicorn with the production settings, PostgreSQL and Redis, configured with the
very server block operators use (deploy/nginx-site.conf, docs/deployment.md).

The rows live in the test database (committed: ``transaction=True``), which gunicorn reads too;
the sessions are made by the production settings' own session store (Redis), in a subprocess.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from cocity.core.testing.files import image_bytes, pdf_bytes, upload
from cocity.library import services as library_services
from cocity.library.models import LibraryItem
from cocity.network.models import Role, Space
from cocity.network.services.organisations import organisation_create
from tests.factories import LibraryItemFactory, SpaceFactory, SpaceMembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="production-like: PostgreSQL, Redis, gunicorn and nginx (the PostgreSQL run)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start on {port}")


@dataclass
class Site:
    port: int
    env: dict[str, str]
    log: Path  # what gunicorn printed (shown when a request fails)

    def printed(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def get(self, path: str, session: str | None = None) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Host": "localhost"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        conn.close()
        return response

    def session_for(self, user_pk: int) -> str:
        """A signed-in session of ``user_pk``, made by the production session store."""
        code = (
            "from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, "
            "HASH_SESSION_KEY, SESSION_KEY\n"
            "from importlib import import_module\n"
            "from django.conf import settings\n"
            f"user = get_user_model().objects.get(pk={user_pk})\n"
            "store = import_module(settings.SESSION_ENGINE).SessionStore()\n"
            "store[SESSION_KEY] = str(user.pk)\n"
            "store[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS "
            "if not b.startswith('rules.'))\n"
            "store[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
            "store.save()\n"
            "print(store.session_key)\n"
        )
        done = subprocess.run(
            [str(BIN / "cocity"), "shell", "-c", code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]


@pytest.fixture
def site(tmp_path: Path, settings) -> Iterator[Site]:  # type: ignore[no-untyped-def]
    media_root = tmp_path / "media"
    media_root.mkdir()
    settings.MEDIA_ROOT = media_root
    settings.STORAGES = {  # the tests' in-memory storage would keep the files from gunicorn
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cocity.settings.production",
        "SECRET_KEY": "production-like-test-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": "redis://127.0.0.1:6379/12",
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(tmp_path / "static"),
        "COCITY_MEDIA_ACCEL_REDIRECT": "/_media/",
        "COCITY_TRUSTED_PROXY_COUNT": "1",
        "SECURE_SSL_REDIRECT": "false",  # nginx listens on plain HTTP in this test
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": "consolemail://",
    }
    # As at each release: the pages (a 404 too) name the collected, hashed static files.
    subprocess.run(
        [str(BIN / "cocity"), "collectstatic", "--noinput", "-v0"], env=env, check=True, timeout=300
    )
    app_port, web_port = _free_port(), _free_port()
    log = tmp_path / "gunicorn.log"
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "cocity.wsgi", "--bind", f"127.0.0.1:{app_port}", "--workers", "1"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    template = string.Template((ROOT / "deploy" / "nginx-site.conf").read_text())
    server = template.safe_substitute(
        LISTEN=f"127.0.0.1:{web_port}",
        SERVER_NAME="localhost",
        UPSTREAM=f"127.0.0.1:{app_port}",
        MEDIA_ROOT=str(media_root),
    )
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "nginx.conf").write_text(
        f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    {server}
}}
"""
    )
    nginx = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(app_port, gunicorn, "gunicorn")
        _wait_for(web_port, nginx, "nginx")
        yield Site(web_port, env, log)
    finally:
        for process in (nginx, gunicorn):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def test_nginx_serves_a_public_photo_refuses_a_members_file_to_a_stranger_and_serves_a_member(
    site: Site,
) -> None:
    logo = upload("logo.png", image_bytes("PNG", (16, 16)))
    organisation = organisation_create(
        creator=UserFactory(), name="Yard keepers", kind="civil_society", logo=logo, logo_alt="L"
    )
    space = SpaceFactory(visibility=Space.Visibility.MEMBERS)
    member, stranger = UserFactory(), UserFactory()
    SpaceMembershipFactory(space=space, user=member, role=Role.EDITOR)
    item = LibraryItemFactory(space=space, author=member)
    attachment = library_services.attachment_add(
        user=member, item=item, upload=upload("minutes.html", pdf_bytes())
    )
    LibraryItem.objects.filter(pk=item.pk).update(status=LibraryItem.Status.PUBLISHED)
    assert attachment.file.name.endswith(".pdf")

    photo = site.get(organisation.logo.url)
    assert photo.status == 200, site.printed()
    assert photo.getheader("Content-Type") == "image/png"
    assert photo.body == image_bytes("PNG", (16, 16))  # type: ignore[attr-defined]
    assert photo.getheader("X-Content-Type-Options") == "nosniff"
    assert "inline" in (photo.getheader("Content-Disposition") or "")
    assert photo.getheader("X-Accel-Redirect") is None  # nginx consumed it

    url = attachment.file.url
    assert site.get(url).status == 404  # a visitor
    refused = site.get(url, site.session_for(stranger.pk))
    assert refused.status == 404, (refused.status, site.printed())
    assert site.get(f"/_media/{attachment.file.name}").status == 404  # internal: not reachable
    served = site.get(url, site.session_for(member.pk))
    assert served.status == 200
    assert served.body == Path(attachment.file.path).read_bytes()  # type: ignore[attr-defined]
    assert served.getheader("Content-Type") == "application/pdf"
    assert served.getheader("Content-Disposition", "").startswith("attachment;")
    assert served.getheader("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in (served.getheader("Content-Security-Policy") or "")
    assert served.getheader("Cache-Control") == "private, no-store"
