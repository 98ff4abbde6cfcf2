import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cocity.core.mail import queue_templated_email, recipient_language

pytestmark = pytest.mark.django_db


def _queue(**overrides):  # type: ignore[no-untyped-def]
    arguments = {
        "to": "lena@example.org",
        "template": "network/emails/join_request_received",
        "context": {"space": {"name": "Fairville"}, "requester": "Amina", "message": "Hello"},
    }
    arguments.update(overrides)
    queue_templated_email(**arguments)


def test_mail_waits_for_the_commit_and_is_dropped_on_rollback(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _queue()
    assert len(callbacks) == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lena@example.org"]
    assert mail.outbox[0].subject.startswith("[cocity] ")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _queue()
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_with_the_database_queue_a_worker_sends_the_mail(
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    # (django-tasks resets its backends when the TASKS setting changes.)
    with django_capture_on_commit_callbacks(execute=True):
        _queue()
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", batch=True, verbosity=0)
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_recipient_language_is_the_first_offered_language_they_speak(user_factory) -> None:
    assert recipient_language(user_factory(languages=["wo", "fr", "en"])) == "fr"
    assert recipient_language(user_factory(languages=["ar"])) == "ar"
    assert recipient_language(user_factory(languages=["wo", "pl"])) == "en"  # none offered


def test_a_text_mail_shows_what_people_wrote_unescaped(django_capture_on_commit_callbacks) -> None:
    """Mail templates are plain text: ``<``, ``&`` and quotes are not turned into HTML entities,
    even in a template that does not say ``{% autoescape off %}`` (the library's, a digest's)."""
    title = 'Tom & Jerry\'s <b>"garden"</b>'
    with django_capture_on_commit_callbacks(execute=True):
        _queue(
            template="library/emails/returned",
            context={"item": {"title": title}, "comment": title},
        )
    (message,) = mail.outbox
    assert message.subject == f"[cocity] Changes asked: {title}"
    assert message.body.count(title) == 2 and "&amp;" not in message.body
