"""Every e-mail cocity sends goes through here: rendered in the recipient's language, sent by the
background task queue with the transaction that caused it (cocity.core.queue)."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context
from django.template.loader import get_template
from django.utils import translation
from django_tasks import task

from cocity.core.queue import enqueue_with_writes


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    attachments: Sequence[tuple[str, str, str]] = (),
    reply_to: Sequence[str] = (),
) -> int:
    """Send one message; attachments are (file name, text content, MIME type)."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to) or None,
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message.send()


def recipient_language(user: object) -> str:
    """The first language the person speaks (their ``languages``, when they have any) that the
    site offers, else the current one."""
    offered = {code for code, _name in settings.LANGUAGES}
    for code in getattr(user, "languages", None) or []:
        if code in offered:
            return str(code)
    return translation.get_language() or settings.LANGUAGE_CODE


def render_plain_text(template_name: str, context: dict[str, Any]) -> str:
    """A mail template rendered as plain text: values as people wrote them, never HTML-escaped
    (``<``, ``&`` and quotes stay themselves in a text mail; nothing in it is HTML)."""
    template: Any = get_template(template_name)
    return str(template.template.render(Context(context, autoescape=False)))


def queue_templated_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    attachments: Sequence[tuple[str, str, str]] = (),
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in ``language`` as plain
    text (``render_plain_text``) and queue the message with the current transaction's writes
    (``cocity.core.queue``: sent only if they commit, never lost after they do). The subject
    is one line: its line breaks are spaces."""
    with translation.override(language or translation.get_language()):
        subject = " ".join(render_plain_text(f"{template}_subject.txt", context).split())
        body = render_plain_text(f"{template}_body.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    enqueue_with_writes(
        send_email, to=[to], subject=f"{prefix}{subject}", body=body, attachments=list(attachments)
    )
