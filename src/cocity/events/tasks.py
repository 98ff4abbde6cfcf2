"""Background work for events (django-tasks)."""

from django.conf import settings
from django_tasks import task

from cocity.core.mail import queue_templated_email
from cocity.network.selectors import persons_who_see


@task()
def send_reminder(*, registration_id: int, session_id: int) -> bool:
    from .models import Registration, Session
    from .services import cancel_token

    registration = (
        Registration.objects.select_related("user", "event__space", "track")
        .filter(pk=registration_id, status=Registration.Status.CONFIRMED)
        .first()
    )
    session = Session.objects.filter(pk=session_id).first()
    if registration is None or session is None:
        return False
    if not persons_who_see(registration.event.space, [registration.user_id]):
        return False  # no longer sees the event (left its members-only space since it was queued)
    base = settings.COCITY_BASE_URL.rstrip("/")
    queue_templated_email(
        to=registration.user.email,
        template="events/emails/reminder",
        context={
            "event": registration.event,
            "session": session,
            "registration": registration,
            "event_url": base + registration.event.get_absolute_url(),
            "online_url": registration.event.online_url,
            "cancel_url": base + f"/events/registrations/cancel/{cancel_token(registration)}/",
        },
        recipient=registration.user,
    )
    return True
