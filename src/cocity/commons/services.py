"""Writes for commons, calls and pacts: one function per use case, keyword-only, validated with
``full_clean()`` inside a transaction; a ``ValidationError`` with a clear message and nothing
written when anything is wrong. Every change of a pact's status goes through ``pact_transition``
(or ``pact_sign`` / ``report_file``, which use the same table and the same row lock)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocity.accounts.models import User
from cocity.accounts.types import Actor, Viewer
from cocity.core import images
from cocity.core.cache import rows_changed
from cocity.core.geo import normalise_boundary
from cocity.core.mail import queue_templated_email, queue_templated_emails
from cocity.core.reminders import send_once, unsent
from cocity.network.models import Organisation, Territory
from cocity.network.rules import is_org_editor
from cocity.network.selectors.hubs import spaces_gathering
from cocity.participation import services as participation
from cocity.participation.models import Comment, Report
from cocity.search import index as search_index

from . import lifecycle
from .models import (
    Activity,
    CallForCare,
    Commitment,
    Commons,
    CommonsPhoto,
    Pact,
    PactDocument,
    PactHistoryEntry,
    PactParty,
    PactPhoto,
    PactReport,
    PactVersion,
)
from .rules import forget_pact_roles

S = Pact.State


# --- commons and calls ------------------------------------------------------------------------


def commons_create(
    *,
    organisation: Organisation,
    name: str,
    slug: str,
    kind: str,
    territory: Territory,
    actor: Actor,
    owner: str = Commons.Owner.CITY,
    owner_name: str = "",
    owner_consent: bool = False,
    department: str = "",
    description: str = "",
    condition: str = Commons.Condition.FAIR,
    latitude: float | None = None,
    longitude: float | None = None,
    shape: Any = None,
    topics: Iterable[Any] = (),
    cover: Any = None,
    cover_alt: str = "",
    cover_decorative: bool = False,
) -> Commons:
    if not actor.has_perm("commons.add_commons", organisation):
        raise PermissionDenied
    commons = Commons(
        organisation=organisation,
        name=name,
        slug=slug,
        kind=kind,
        territory=territory,
        owner=owner,
        owner_name=owner_name,
        owner_consent=owner_consent,
        department=department,
        description=description,
        condition=condition,
        latitude=latitude,
        longitude=longitude,
        shape=normalise_boundary(shape),
    )
    images.picture_set(commons, "cover", upload=cover, alt=cover_alt, decorative=cover_decorative)
    commons.full_clean()
    with transaction.atomic():
        commons.save()
        commons.topics.set(list(topics))
        search_index.update(commons)
    return commons


def commons_photo_add(*, commons: Commons, image: Any, alt_text: str, actor: Actor) -> CommonsPhoto:
    if not actor.has_perm("commons.change_commons", commons):
        raise PermissionDenied
    photo = CommonsPhoto(commons=commons, image=image, alt_text=alt_text.strip())
    photo.full_clean()
    photo.save()
    return photo


def call_create(
    *,
    organisation: Organisation,
    title: str,
    slug: str,
    opens_on: date,
    closes_on: date,
    commons: Iterable[Commons],
    actor: Actor,
    description: str = "",
) -> CallForCare:
    if not actor.has_perm("commons.add_callforcare", organisation):
        raise PermissionDenied
    commons = list(commons)
    if not commons:
        raise ValidationError({"commons": _("List at least one commons open for proposals.")})
    if any(c.organisation_id != organisation.pk for c in commons):
        raise ValidationError(
            {"commons": _("A call can only list commons this organisation is responsible for.")}
        )
    call = CallForCare(
        organisation=organisation,
        title=title,
        slug=slug,
        description=description,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    call.full_clean()
    with transaction.atomic():
        call.save()
        call.commons.set(commons)
    return call


# --- pacts: drafting --------------------------------------------------------------------------

PACT_TEXT_FIELDS = (
    "objectives",
    "resources_offered",
    "resources_requested",
    "responsibilities",
    "renewal_terms",
    "termination_terms",
    "reporting_duties",
    "indicators",
)


def _record(
    pact: Pact, *, action: str, source: str, actor: Actor, reason: str = "", when=None
) -> PactHistoryEntry:
    now = when or timezone.now()
    pact.state_since = now
    pact.step_due_on = lifecycle.due_date(pact.state, timezone.localdate(now))
    entry = PactHistoryEntry(
        pact=pact,
        action=action,
        from_state=source,
        to_state=pact.state,
        actor=actor,
        reason=reason,
        due_on=pact.step_due_on,
        created_at=now,
    )
    entry.full_clean()
    entry.save()
    return entry


def pact_create(
    *,
    commons: Commons,
    title: str,
    kind: str,
    level: str,
    objectives: str,
    starts_on: date,
    ends_on: date,
    created_by: Actor,
    organisation: Organisation | None = None,
    call: CallForCare | None = None,
    competes_with: Pact | None = None,
    cover: Any = None,
    cover_alt: str = "",
    cover_decorative: bool = False,
    **texts: str,
) -> Pact:
    """A draft pact, its city party (the organisation responsible for the commons) and its first
    proponent (the person, or the organisation with the person as contact)."""
    unknown = set(texts) - set(PACT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown pact fields: {sorted(unknown)}")
    if not created_by.is_authenticated:
        raise PermissionDenied
    if competes_with is not None:
        if not created_by.has_perm("commons.compete_pact", competes_with):
            raise ValidationError(
                _("Competing proposals are only accepted while the public window is open.")
            )
        commons, kind = competes_with.commons, competes_with.kind
    if call is not None and not call.commons.filter(pk=commons.pk).exists():
        raise ValidationError({"call": _("This call does not list this commons.")})
    pact = Pact(
        commons=commons,
        title=title,
        kind=kind,
        level=level,
        objectives=objectives,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=created_by,
        call=call,
        competes_with=competes_with,
        **texts,
    )
    images.picture_set(pact, "cover", upload=cover, alt=cover_alt, decorative=cover_decorative)
    pact.full_clean()
    with transaction.atomic():
        pact.save()
        PactParty.objects.create(
            pact=pact, role=PactParty.Role.CITY, organisation=commons.organisation
        )
        PactParty.objects.create(
            pact=pact, role=PactParty.Role.PROPONENT, organisation=organisation, person=created_by
        )
        _record(pact, action="create", source="", actor=created_by)
        pact.save(update_fields=["state_since", "step_due_on"])
        search_index.update(pact)
    forget_pact_roles(created_by)
    return pact


def _require(actor: Actor, perm: str, pact: Pact) -> None:
    """Ask ``rules`` about the pact as it is in the database now (callers may hold an old copy)."""
    if perm == "commons.change_pact":
        pact.state = Pact.objects.values_list("state", flat=True).get(pk=pact.pk)
    if not actor.has_perm(perm, pact):
        raise PermissionDenied


def pact_update(
    *,
    pact: Pact,
    actor: Actor,
    cover: Any = None,
    cover_alt: str | None = None,
    cover_decorative: bool = False,
    **fields: Any,
) -> Pact:
    """Change a pact's texts and dates; ``cover``: a new image, ``False`` to remove it, ``None``
    to keep it (``cover_alt=None`` keeps its text too)."""
    allowed = {"title", "level", "starts_on", "ends_on", *PACT_TEXT_FIELDS}
    if set(fields) - allowed:
        raise TypeError(f"cannot change {sorted(set(fields) - allowed)}")
    with transaction.atomic():
        pact = _locked(pact)
        _require(actor, "commons.change_pact", pact)
        for name, value in fields.items():
            setattr(pact, name, value)
        if cover is not None or cover_alt is not None:
            images.picture_set(
                pact,
                "cover",
                upload=cover,
                alt=pact.cover_alt if cover_alt is None else cover_alt,
                decorative=cover_decorative if cover_alt is not None else pact.cover_decorative,
            )
        pact.full_clean()
        pact.save()
        search_index.update(pact)
    return pact


def party_add(
    *,
    pact: Pact,
    actor: Actor,
    role: str,
    person: User | None = None,
    organisation: Organisation | None = None,
) -> PactParty:
    _require(actor, "commons.change_pact", pact)
    if role == PactParty.Role.CITY:
        raise ValidationError({"role": _("The city is already a party to every pact.")})
    if organisation is None and person is None:
        raise ValidationError(_("A party is a person or an organisation."))
    duplicate = PactParty.objects.filter(pact=pact)
    duplicate = (
        duplicate.filter(organisation=organisation)
        if organisation
        else duplicate.filter(person=person, organisation__isnull=True)
    )
    if duplicate.exists():
        raise ValidationError(_("This party is already part of the pact."))
    party = PactParty(pact=pact, role=role, organisation=organisation, person=person)
    party.full_clean()
    party.save()
    if person is not None:
        forget_pact_roles(person)
    return party


def commitment_add(
    *, pact: Pact, party: PactParty, category: str, description: str, actor: Actor
) -> Commitment:
    # In a draft the proponents write every party's commitments (the city's as they request
    # them); in co-design the shared draft is where both sides change them.
    _require(actor, "commons.change_pact", pact)
    commitment = Commitment(pact=pact, party=party, category=category, description=description)
    commitment.full_clean()
    commitment.save()
    return commitment


def activity_add(
    *, pact: Pact, description: str, starts_on: date, ends_on: date, actor: Actor
) -> Activity:
    _require(actor, "commons.change_pact", pact)
    activity = Activity(pact=pact, description=description, starts_on=starts_on, ends_on=ends_on)
    activity.full_clean()
    if starts_on < pact.starts_on or ends_on > pact.ends_on:
        raise ValidationError({"ends_on": _("An activity must fall within the pact's duration.")})
    activity.save()
    return activity


def document_add(*, pact: Pact, title: str, file: Any, actor: Actor) -> PactDocument:
    if not (
        actor.has_perm("commons.sign_pact", pact) or actor.has_perm("commons.change_pact", pact)
    ):
        raise PermissionDenied
    document = PactDocument(pact=pact, title=title, file=file, uploaded_by=actor)
    document.full_clean()
    document.save()
    return document


def photo_add(
    *,
    pact: Pact,
    image: Any,
    alt_text: str,
    when: str,
    actor: Actor,
    report: PactReport | None = None,
) -> PactPhoto:
    if not (
        actor.has_perm("commons.sign_pact", pact) or actor.has_perm("commons.change_pact", pact)
    ):
        raise PermissionDenied
    photo = PactPhoto(pact=pact, image=image, alt_text=alt_text.strip(), when=when, report=report)
    photo.full_clean()
    photo.save()
    return photo


# --- pacts: the lifecycle ---------------------------------------------------------------------


def _locked(pact: Pact) -> Pact:
    """The pact row, locked until the transaction ends; its state is read inside the lock."""
    return Pact.objects.select_for_update(of=("self",)).select_related("commons").get(pk=pact.pk)


def _check_commitments(pact: Pact) -> None:
    parties = list(PactParty.objects.filter(pact=pact).select_related("organisation", "person"))
    committed = set(Commitment.objects.filter(pact=pact).values_list("party_id", flat=True))
    missing = [p.name for p in parties if p.pk not in committed]
    if missing:
        raise ValidationError(
            _(
                "Every party must make at least one commitment before the pact is submitted. "
                "Missing: %(names)s."
            )
            % {"names": ", ".join(missing)}
        )


def _refuse(pact: Pact, action: str) -> ValidationError:
    return ValidationError(
        _("A pact that is “%(state)s” cannot be moved by “%(action)s”.")
        % {
            "state": Pact.State(pact.state).label,
            "action": lifecycle.ACTION_LABELS.get(action, action),
        },
        code="bad_transition",
    )


def pact_transition(*, pact: Pact, action: str, actor: Actor, reason: str = "") -> Pact:
    """Move a pact by one row of the lifecycle table, under a lock on the pact's row."""
    reason = (reason or "").strip()
    if action in ("sign", "report"):
        raise ValidationError(_("Sign or report with their own forms."))
    with transaction.atomic():
        locked = _locked(pact)
        row = lifecycle.find(locked, action)
        if row is None:
            raise _refuse(locked, action)
        _require(actor, row.who, locked)
        if row.needs_reason and not reason:
            raise ValidationError(
                {"reason": _("Give the reason for this decision: it is published.")}
            )
        if action == "submit":
            _check_commitments(locked)
        target_pact = None
        if action == "merge":
            target_pact = _merge_target(locked)
        source = locked.state
        locked.state = row.target
        _record(locked, action=action, source=source, actor=actor, reason=reason)
        locked.save(update_fields=["state", "state_since", "step_due_on", "merged_into"])
        if target_pact is not None:
            _merge(locked, target_pact, actor=actor, reason=reason)
        search_index.update(locked)
        if action == "start_co_design" and not locked.versions.exists():
            _first_version(locked, actor)
        if row.who == lifecycle.OFFICER or action == "submit":
            _tell_proponent(locked, action=action, reason=reason)
        if action == "submit":  # public from now on: news on the pages that show it
            _tell_space_followers(locked, actor)
    return locked


def _tell_space_followers(pact: Pact, actor: Actor) -> None:
    """A new public pact: the followers of the spaces whose page shows it (those of the commons'
    organisation, those in its place) are notified (participation.space_news)."""
    commons = pact.commons
    participation.space_news(
        spaces=spaces_gathering(
            organisation_id=commons.organisation_id, territory_path=commons.territory_path
        ),
        kind="space_publication",
        message=participation.Said(
            gettext_lazy("New collaboration pact for %(commons)s: %(title)s"),
            {"commons": (commons, "name"), "title": (pact, "title")},
        ),
        url=pact.get_absolute_url(),
        actor=actor,
    )


def _merge_target(competing: Pact) -> Pact:
    if competing.competes_with_id is None:
        raise ValidationError(_("Only a competing proposal can be merged into another pact."))
    main = Pact.objects.select_for_update().get(pk=competing.competes_with_id)
    if main.state not in (S.PUBLIC_WINDOW, S.CO_DESIGN):
        raise ValidationError(
            _("Proposals can be merged while the pact is in its public window or in co-design.")
        )
    competing.merged_into = main
    return main


def _merge(competing: Pact, main: Pact, *, actor: Actor, reason: str) -> None:
    """The competing proposal's people join the main pact as co-signers, with their commitments;
    its objectives go into the shared draft; both histories say so."""
    present_orgs = set(
        main.parties.exclude(organisation=None).values_list("organisation_id", flat=True)
    )
    present_people = set(main.parties.filter(organisation=None).values_list("person_id", flat=True))
    for party in competing.parties.exclude(role=PactParty.Role.CITY).prefetch_related(
        "commitments"
    ):
        if party.organisation_id in present_orgs or (
            party.organisation_id is None and party.person_id in present_people
        ):
            continue
        joined = PactParty.objects.create(
            pact=main,
            role=PactParty.Role.COSIGNER,
            organisation_id=party.organisation_id,
            person_id=party.person_id,
        )
        Commitment.objects.bulk_create(
            Commitment(pact=main, party=joined, category=c.category, description=c.description)
            for c in party.commitments.all()
        )
        rows_changed(Commitment)  # bulk_create sends no signal (cocity.core.cache)
    addition = _("## Merged proposal: %(title)s\n\n%(objectives)s") % {
        "title": competing.title,
        "objectives": competing.objectives,
    }
    main.shared_draft = f"{main.shared_draft}\n\n{addition}".strip()
    main.save(update_fields=["shared_draft"])
    if main.state == S.CO_DESIGN:
        _version(main, actor, main.shared_draft, _("merged a competing proposal"))
    PactHistoryEntry.objects.create(
        pact=main,
        action="merge",
        from_state=main.state,
        to_state=main.state,
        actor=actor,
        reason=_("Merged the competing proposal “%(title)s”: %(reason)s")
        % {"title": competing.title, "reason": reason},
        due_on=main.step_due_on,
    )


def _draft_text(pact: Pact) -> str:
    parts = [f"# {pact.title}", "", pact.objectives, ""]
    if pact.shared_draft:
        parts += [pact.shared_draft, ""]
    for commitment in pact.commitments.select_related("party__organisation", "party__person"):
        parts.append(f"- {commitment.party.name}: {commitment.description}")
    return "\n".join(parts).strip() + "\n"


def _version(pact: Pact, actor: Actor, text: str, note: str) -> PactVersion:
    last = pact.versions.aggregate(n=Max("number"))["n"] or 0
    version = PactVersion(pact=pact, number=last + 1, text=text, note=note, author=actor)
    version.full_clean()
    version.save()
    pact.shared_draft = text
    pact.save(update_fields=["shared_draft"])
    return version


def _first_version(pact: Pact, actor: Actor) -> None:
    _version(pact, actor, _draft_text(pact), _("first shared draft"))


def draft_save(*, pact: Pact, actor: Actor, text: str, note: str = "") -> PactVersion:
    """A new version of the shared draft (co-design): both sides edit, every version is kept."""
    with transaction.atomic():
        locked = _locked(pact)
        if locked.state != S.CO_DESIGN:
            raise _refuse(locked, "edit")
        _require(actor, "commons.edit_shared_draft", locked)
        if not text.strip():
            raise ValidationError({"text": _("The shared draft cannot be empty.")})
        if text == locked.shared_draft:
            raise ValidationError({"text": _("Nothing changed since the last version.")})
        return _version(locked, actor, text, note.strip())


def _can_sign_for(actor: Viewer, party: PactParty, pact: Pact) -> bool:
    """The city signs through one of its officers; a person or an organisation through the
    person named on the party (an organisation's contact person)."""
    if not actor.is_authenticated:
        return False
    if party.role == PactParty.Role.CITY:
        return bool(is_org_editor(actor, party.organisation))
    return bool(party.person_id == actor.pk)


def pact_sign(*, pact: Pact, party: PactParty, actor: Actor) -> PactParty:
    """One party signs (who and when are recorded); the last signature makes the pact signed."""
    with transaction.atomic():
        locked = _locked(pact)
        party = (
            PactParty.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=party.pk)
        )
        if party.pact_id != locked.pk or not _can_sign_for(actor, party, locked):
            raise ValidationError(
                _("Only a party to the pact can sign it, and only for themselves."),
                code="not_a_party",
            )
        if lifecycle.find(locked, "sign") is None:
            raise ValidationError(
                _("A pact that is “%(state)s” cannot be signed.")
                % {"state": Pact.State(locked.state).label}
            )
        if party.signed_at:
            raise ValidationError(_("This party has already signed."))
        _check_commitments(locked)
        party.signed_by, party.signed_at = actor, timezone.now()
        party.save(update_fields=["signed_by", "signed_at"])
        if not locked.parties.filter(signed_at__isnull=True).exists():
            source, locked.state = locked.state, S.SIGNED
            _record(locked, action="sign", source=source, actor=actor)
            locked.save(update_fields=["state", "state_since", "step_due_on"])
    return party


# --- public comments (participation comments on the pact) -------------------------------------


def comment_add(
    *,
    pact: Pact,
    author: Actor,
    body: str,
    stance: str = Comment.Stance.NEUTRAL,
    parent: Comment | None = None,
) -> Comment:
    """A public comment (or a reply) while the public window is open; the proponents, and the
    author of the comment answered, are notified."""
    _require(author, "commons.comment_pact", pact)
    comment = participation.comment_create(
        target=pact, author=author, body=body.strip(), stance=stance, parent=parent, counter=None
    )
    recipients = {pact.created_by_id}
    recipients.update(
        pact.parties.filter(role=PactParty.Role.PROPONENT, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    if comment.parent is not None:
        recipients.add(comment.parent.author_id)
    recipients.discard(author.pk)
    participation.notify(
        recipients=recipients,
        kind="comment",
        message=participation.Said(
            gettext_lazy("%(name)s commented on the pact “%(title)s”"),
            {"name": author.public_name, "title": (pact, "title")},
        ),
        url=f"{pact.get_absolute_url()}#comment-{comment.pk}",
    )
    return comment


def comment_report(*, comment: Comment, reporter: Actor, reason: str) -> Report:
    """Report a comment on a pact to the moderators of the organisation responsible for its
    commons (the pact's officers), who decide in their moderation queue."""
    pact = comment.target
    if not isinstance(pact, Pact):
        raise ValidationError(_("This comment is not on a pact."))
    if not reporter.has_perm("commons.report_comment", pact):
        raise PermissionDenied
    return participation.report_create(
        target=comment,
        reporter=reporter,
        reason=(reason or "").strip(),
        organisation=pact.commons.organisation,
    )


def report_file(
    *,
    pact: Pact,
    actor: Actor,
    period_start: date,
    period_end: date,
    summary: str,
    hours: int,
    indicator_values: dict[str, str] | None = None,
    photos: Iterable[tuple[Any, str]] = (),
) -> PactReport:
    with transaction.atomic():
        locked = _locked(pact)
        row = lifecycle.find(locked, "report")
        if row is None:
            raise ValidationError(
                _(
                    "Only a pact in force (active, reported or renewed) takes reports; "
                    "this one is “%(state)s”."
                )
                % {"state": Pact.State(locked.state).label},
                code="not_active",
            )
        _require(actor, row.who, locked)
        report = PactReport(
            pact=locked,
            period_start=period_start,
            period_end=period_end,
            summary=summary,
            hours=hours,
            indicator_values=indicator_values or {},
            author=actor,
        )
        report.full_clean()
        report.save()
        for image, alt in photos:
            photo = PactPhoto(
                pact=locked, report=report, image=image, alt_text=alt.strip(), when="after"
            )
            photo.full_clean()
            photo.save()
        source, locked.state = locked.state, row.target
        _record(locked, action="report", source=source, actor=actor)
        locked.save(update_fields=["state", "state_since", "step_due_on"])
    return report


def _tell_proponent(pact: Pact, *, action: str, reason: str) -> None:
    person = pact.created_by
    if not person.email:
        return
    queue_templated_email(
        to=person.email,
        template="commons/emails/decision",
        context={
            "pact": pact,
            "action": lifecycle.ACTION_LABELS.get(action, action),
            "state": Pact.State(pact.state).label,
            "reason": reason,
            "site_url": settings.COCITY_BASE_URL.rstrip("/"),
        },
        recipient=person,
    )


# --- reminders --------------------------------------------------------------------------------


STEP_DUE = "step-due"  # the reminders-ledger key of a step's deadline (cocity.core.reminders)


def reminders_send(*, today: date | None = None) -> int:
    """Remind the officers of every pact whose current step is due within three days or overdue,
    once per step: the history entry that opened the step carries the key ``step-due`` in the
    reminders ledger (recorded even when the step is over, so it is never looked at again)."""
    from .selectors import pact_officers

    today = today or timezone.localdate()
    sent = 0
    due = (
        unsent(PactHistoryEntry.objects.all(), STEP_DUE)
        .filter(due_on__isnull=False, due_on__lte=today + timedelta(days=3))
        .select_related("pact__commons__organisation")
        .order_by("id")
    )
    for entry in due.iterator():
        pact = entry.pact
        current = pact.history.order_by("-created_at", "-id").values_list("id", flat=True).first()
        is_open = current == entry.pk and pact.state == entry.to_state
        officers = list(pact_officers(pact)) if is_open else []

        def remind(entry: PactHistoryEntry = entry, officers: list[Any] = officers) -> int:
            return _remind_officers(entry, officers, today)

        if send_once(target=entry, key=STEP_DUE, send=remind):
            sent += sum(1 for officer in officers if officer.email)
    return sent


def _remind_officers(entry: PactHistoryEntry, officers: list[Any], today: date) -> int:
    """One message each, rendered once per language (and time zone) among the officers."""
    pact = entry.pact
    return queue_templated_emails(
        recipients=officers,
        template="commons/emails/reminder",
        context={
            "pact": pact,
            "state": Pact.State(pact.state).label,
            "due_on": entry.due_on,
            "overdue": entry.due_on is not None and entry.due_on < today,
            "site_url": settings.COCITY_BASE_URL.rstrip("/"),
        },
    )
