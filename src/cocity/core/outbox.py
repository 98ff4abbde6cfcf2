"""The demo's outbox: every mail the demo sends is printed on the console and kept in a file, and
``/demo/outbox/`` lists the last ones (subject, recipients, date, body with its links clickable),
so a newcomer can follow a confirmation or a reminder without a mail server.

Only the demo settings (``cocity.settings.demo``, used by ``make demo``) switch it on: they set
``EMAIL_BACKEND`` to ``OutboxBackend``, ``COCITY_DEMO_OUTBOX`` to the file and ``ROOT_URLCONF`` to
``cocity.urls_demo``, the only URL configuration with the page. Anywhere else the address is
unknown (404), and the view answers 404 too when no outbox file is configured.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

SHOWN = 50  # the page lists this many, newest first
_lock = threading.Lock()


def outbox_path() -> Path | None:
    configured = getattr(settings, "COCITY_DEMO_OUTBOX", "")
    return Path(configured) if configured else None


class OutboxBackend(ConsoleBackend):
    """The console backend, which also appends each message to the outbox file (one JSON object
    a line: subject, sender, recipients, date, plain-text body)."""

    def send_messages(self, email_messages: Any) -> int:
        sent = super().send_messages(email_messages)
        path = outbox_path()
        if path is None or not email_messages:
            return sent
        path.parent.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        lines = []
        for message in email_messages:
            body = message.body
            lines.append(
                json.dumps(
                    {
                        "subject": str(message.subject),
                        "from": str(message.from_email),
                        "to": [str(a) for a in message.to],
                        "date": now.isoformat(),
                        "body": str(body),
                    },
                    ensure_ascii=False,
                )
            )
        with _lock, path.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        return sent


def last_messages(count: int = SHOWN) -> list[dict[str, Any]]:
    """The last ``count`` messages of the outbox, newest first (a damaged line is skipped)."""
    path = outbox_path()
    if path is None or not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        tail = deque(lines, maxlen=count)
    messages = []
    for line in reversed(tail):
        try:
            item = json.loads(line)
            item["date"] = datetime.fromisoformat(item["date"])
        except (ValueError, KeyError, TypeError):
            continue
        item["rfc_date"] = format_datetime(item["date"])
        messages.append(item)
    return messages


def outbox(request: HttpRequest) -> HttpResponse:
    """The demo's last mails; 404 unless the demo settings configured an outbox."""
    if outbox_path() is None:
        raise Http404
    return render(request, "core/outbox.html", {"messages_sent": last_messages()})
