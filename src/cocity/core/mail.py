"""Every e-mail cocity sends goes through here: rendered in the recipient's language and time
zone, what people wrote shown as the recipient would read it on the site (translated into their
language, machine translations only if they have not switched them off, each labelled in the
mail with ``{% machine_note %}``), sent by the background task queue with the transaction that
caused it (cocity.core.queue)."""

import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django_tasks import task

from cocity.core.queue import enqueue_with_writes
from cocity.core.translations import Viewing, showing


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


def recipient_time_zone(user: object) -> zoneinfo.ZoneInfo | None:
    """The person's own time zone, None when they have none (the site's is used)."""
    name = getattr(user, "time_zone", "") or ""
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@contextmanager
def as_recipient(user: object = None, language: str | None = None) -> Iterator[None]:
    """Render for this person: their language (``language`` when given), their time zone, their
    choice of machine translations; never the sender's page's choices (``?original=1``). With no
    person: ``language`` (else the current one), the site's zone, translations shown."""
    if language is None:
        language = recipient_language(user) if user is not None else translation.get_language()
    zone = recipient_time_zone(user) if user is not None else None
    with (
        translation.override(language),
        timezone.override(zone or timezone.get_default_timezone()),
        showing(Viewing(person=user)),
    ):
        yield


def render_plain_text(template_name: str, context: dict[str, Any]) -> str:
    """A mail template rendered as plain text: values as people wrote them, never HTML-escaped
    (``<``, ``&`` and quotes stay themselves in a text mail; nothing in it is HTML)."""
    template: Any = get_template(template_name)
    return str(template.template.render(Context(context, autoescape=False)))


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    subject = " ".join(render_plain_text(f"{template}_subject.txt", context).split())
    body = render_plain_text(f"{template}_body.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return f"{prefix}{subject}", body


def queue_templated_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    recipient: object = None,
    attachments: Sequence[tuple[str, str, str]] = (),
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` as plain text
    (``render_plain_text``) for ``recipient`` (:func:`as_recipient`: their language, unless
    ``language`` says another, their time zone and choice of machine translations) and queue
    the message with the current transaction's writes (``cocity.core.queue``: sent only if they
    commit, never lost after they do). The subject is one line: its line breaks are spaces."""
    with as_recipient(recipient, language):
        subject, body = _render(template, context)
    enqueue_with_writes(
        send_email, to=[to], subject=subject, body=body, attachments=list(attachments)
    )


def reading_of(user: Any) -> tuple[str, str, bool]:
    """What a text written for this person depends on: language, time zone, machine
    translations shown or not (people alike get one rendering)."""
    zone = recipient_time_zone(user)
    return (
        recipient_language(user),
        str(zone or ""),
        bool(getattr(user, "machine_translation", True)),
    )


def queue_templated_emails(
    *, recipients: Iterable[Any], template: str, context: dict[str, Any]
) -> int:
    """The same message to many people (each gets their own, no one sees the others' addresses),
    rendered once per language, time zone and choice of machine translations among them, not
    once per person. People without an address, or listed twice, are skipped. Returns the count
    of messages queued."""
    groups: dict[tuple[str, str, bool], list[Any]] = {}
    seen: set[str] = set()
    for user in recipients:
        address = getattr(user, "email", "") or ""
        if not address or address in seen:
            continue
        seen.add(address)
        groups.setdefault(reading_of(user), []).append(user)
    for people in groups.values():
        with as_recipient(people[0]):
            subject, body = _render(template, context)
        for user in people:
            enqueue_with_writes(send_email, to=[user.email], subject=subject, body=body)
    return len(seen)
