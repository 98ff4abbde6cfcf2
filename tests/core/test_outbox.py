"""The demo's outbox (cocity.core.outbox): mails printed and kept, listed at /demo/outbox/ only
with the demo settings; links in mails point to the address being served."""

import os
import subprocess
import sys

import pytest
from django.core import mail
from django.test import override_settings

from cocity.network.models import Role
from cocity.network.services import spaces as space_services
from tests.factories import SpaceFactory, SpaceMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    """What cocity.settings.demo changes: the URLs with the outbox, the backend, the file."""
    settings.ROOT_URLCONF = "cocity.urls_demo"
    settings.EMAIL_BACKEND = "cocity.core.outbox.OutboxBackend"
    settings.COCITY_DEMO_OUTBOX = str(tmp_path / "outbox.jsonl")
    settings.COCITY_PAGE_CACHE = False
    return tmp_path / "outbox.jsonl"


def test_no_outbox_without_the_demo_settings(client) -> None:
    assert client.get("/demo/outbox/").status_code == 404


def test_no_outbox_page_when_no_outbox_file_is_configured(client, settings) -> None:
    settings.ROOT_URLCONF = "cocity.urls_demo"
    settings.COCITY_DEMO_OUTBOX = ""
    assert client.get("/demo/outbox/").status_code == 404


def test_an_empty_outbox_says_how_to_fill_it(client, demo) -> None:
    response = client.get("/demo/outbox/")
    assert response.status_code == 200
    assert "No mail sent yet." in response.content.decode()


def test_mails_sent_without_a_request_link_to_the_demo_address(
    client, demo, settings, django_capture_on_commit_callbacks
) -> None:
    """Mail sent outside a request (tasks, commands) uses COCITY_BASE_URL, which the demo
    settings derive from the host and port `make demo` serves."""
    settings.COCITY_BASE_URL = "http://127.0.0.1:8765"
    space = SpaceFactory()
    admin = SpaceMembershipFactory(space=space, role=Role.ADMIN).user
    with django_capture_on_commit_callbacks(execute=True):  # mail goes with the writes
        space_services.invitation_create(
            space=space, email="newcomer@example.org", role=Role.MEMBER, invited_by=admin
        )
    assert demo.exists()  # kept in the outbox file (and printed on the console)
    response = client.get("/demo/outbox/")
    page = response.content.decode()
    assert "newcomer@example.org" in page
    # The body's link, clickable, to the served address.
    assert '<a href="http://127.0.0.1:8765/invitations/' in page


def test_mails_sent_while_answering_a_request_use_its_host(client, demo) -> None:
    user = UserFactory(email="forgot@example.org")
    response = client.post(
        "/accounts/password/reset/", {"email": user.email}, HTTP_HOST="localhost:8123"
    )
    assert response.status_code == 302
    page = client.get("/demo/outbox/").content.decode()
    assert "forgot@example.org" in page
    assert '<a href="http://localhost:8123/accounts/password/reset/key/' in page


def test_the_page_lists_the_newest_first_and_survives_a_damaged_line(client, demo) -> None:
    with override_settings(EMAIL_BACKEND="cocity.core.outbox.OutboxBackend"):
        mail.send_mail("First <b>mail</b>", "Body one", "a@example.org", ["x@example.org"])
        with demo.open("a", encoding="utf-8") as out:
            out.write("not json\n")
        mail.send_mail("Second mail", "Body two", "a@example.org", ["y@example.org"])
    page = client.get("/demo/outbox/").content.decode()
    assert page.index("Second mail") < page.index("First &lt;b&gt;mail&lt;/b&gt;")
    assert "<b>mail</b>" not in page  # escaped, never HTML


def test_the_demo_settings_link_mails_to_the_host_and_port_served() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cocity.settings.demo",
        "HOST": "127.0.0.1",
        "PORT": "8765",
    }
    env.pop("COCITY_BASE_URL", None)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.COCITY_BASE_URL, s.EMAIL_BACKEND, s.ROOT_URLCONF)"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["http://127.0.0.1:8765", "cocity.core.outbox.OutboxBackend", "cocity.urls_demo"]
