"""The commons forms people type into, registered with the hostile-input corpus
(``tests/security/test_corpus.py`` posts every payload into every field listed here).

The harness runs a case's setup more than once in one test, so the setup must not create rows
with fixed unique values: territories, organisations and commons come from the factories'
sequences (never the fixed Bologna codes of ``scenario.world``)."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cocity.commons import services
from cocity.commons.models import (
    Activity,
    CallForCare,
    Commitment,
    Commons,
    CommonsPhoto,
    Pact,
    PactDocument,
    PactPhoto,
    PactReport,
)
from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.network.models import Organisation, Role, Territory
from cocity.participation.models import Report
from tests.commons import scenario as flow
from tests.factories import (
    CommonsFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    TerritoryFactory,
    UserFactory,
)


def _world() -> SimpleNamespace:
    """Like ``scenario.world`` but with unique codes and slugs on every call."""
    city = TerritoryFactory(kind=Territory.Kind.CITY)
    hood = TerritoryFactory(kind=Territory.Kind.NEIGHBOURHOOD, parent=city)
    comune = OrganisationFactory(kind=Organisation.Kind.LOCAL_GOVERNMENT)
    officer = UserFactory()
    OrganisationMembershipFactory(organisation=comune, user=officer, role=Role.EDITOR)
    commons = CommonsFactory(organisation=comune, territory=hood)
    return SimpleNamespace(
        city=city,
        hood=hood,
        comune=comune,
        officer=officer,
        commons=commons,
        resident=UserFactory(),
        public=UserFactory(),
    )


def _scenario(w: SimpleNamespace, user: Any, **objects: Any) -> Scenario:
    return Scenario(user=user, objects={"w": w, "commons": w.commons, **objects})


def _officer() -> Scenario:
    w = _world()
    return _scenario(w, w.officer)


def _proponent_draft() -> Scenario:
    w = _world()
    return _scenario(w, w.resident, pact=flow.draft(w))


def _officer_reviewing() -> Scenario:
    w = _world()
    return _scenario(w, w.officer, pact=flow.under_review(w))


def _public_in_window() -> Scenario:
    w = _world()
    return _scenario(w, w.public, pact=flow.in_window(w))


def _co_designing() -> Scenario:
    w = _world()
    pact = services.pact_transition(
        pact=flow.in_window(w), action="start_co_design", actor=w.officer, reason="Go."
    )
    return _scenario(w, w.resident, pact=pact)


def _proponent_active() -> Scenario:
    w = _world()
    return _scenario(w, w.resident, pact=flow.active(w))


def _png() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _pdf() -> SimpleUploadedFile:
    from cocity.core.testing.files import pdf_upload

    return pdf_upload("pact.pdf")


def _latest(model: Any, field: str) -> Any:
    row = model.objects.order_by("-pk").first()
    return getattr(row, field) if row is not None else None


def _pact_url(s: Scenario) -> str:
    return str(s.objects["pact"].get_absolute_url())


def _pk(s: Scenario) -> dict[str, Any]:
    return {"pk": s.objects["pact"].pk}


COMMONS_FIELDS = ("name", "description", "owner_name", "department")

register_form(
    FormCase(
        name="commons create",
        url_name="commons:commons_create",
        url_kwargs=lambda s: {"org": s.objects["w"].comune.slug},
        setup=_officer,
        data=lambda s: {
            "name": "Orto di via Fioravanti",
            "slug": "orto-fioravanti-security",
            "kind": "place",
            "description": "A vegetable garden.",
            "owner": "city",
            "owner_name": "Comune",
            "department": "Active citizenship office",
            "territory": s.objects["w"].hood.pk,
            "latitude": "44.51",
            "longitude": "11.35",
            "condition": "fair",
            "cover": _png(),
            "cover_alt": "Raised beds along the wall",
        },
        fields=(*COMMONS_FIELDS, "cover_alt"),
        stored=lambda s, f: getattr(Commons.objects.get(slug="orto-fioravanti-security"), f),
    )
)

register_form(
    FormCase(
        name="commons photo add",
        url_name="commons:commons_photo_add",
        url_kwargs=lambda s: {"slug": s.objects["commons"].slug},
        setup=_officer,
        data=lambda s: {"image": _png(), "alt_text": "The garden in spring"},
        fields=("alt_text",),
        stored=lambda s, f: _latest(CommonsPhoto, f),
    )
)

register_form(
    FormCase(
        name="commons call for care create",
        url_name="commons:call_create",
        url_kwargs=lambda s: {"org": s.objects["w"].comune.slug},
        setup=_officer,
        data=lambda s: {
            "title": "Call for care 2026",
            "slug": "call-security",
            "description": "Propose a pact.",
            "opens_on": "2026-03-01",
            "closes_on": "2026-06-30",
            "commons": [s.objects["commons"].pk],
        },
        fields=("title", "description"),
        stored=lambda s, f: getattr(CallForCare.objects.get(slug="call-security"), f),
    )
)

PACT_DATA = {
    "title": "Care of the garden",
    "kind": "ordinary",
    "level": "ongoing",
    "objectives": "Weed and water.",
    "starts_on": "2026-03-01",
    "ends_on": "2027-03-01",
    "resources_offered": "Our time.",
    "resources_requested": "Tools.",
    "responsibilities": "We keep it safe.",
    "renewal_terms": "By agreement.",
    "termination_terms": "Three months' notice.",
    "reporting_duties": "A report a year.",
    "indicators": "Open days",
}
PACT_FIELDS = (
    "title",
    "objectives",
    "resources_offered",
    "resources_requested",
    "responsibilities",
    "renewal_terms",
    "termination_terms",
    "reporting_duties",
    "indicators",
)


def _pact_value(s: Scenario, field: str) -> Any:
    return getattr(Pact.objects.order_by("-pk").first(), field)


register_form(
    FormCase(
        name="commons pact propose",
        url_name="commons:pact_create",
        url_kwargs=lambda s: {"slug": s.objects["commons"].slug},
        setup=lambda: _scenario(w := _world(), w.resident),
        data=lambda s: {**PACT_DATA, "cover": _png(), "cover_alt": "Neighbours weeding"},
        fields=(*PACT_FIELDS, "cover_alt"),
        stored=_pact_value,
    )
)

register_form(
    FormCase(
        name="commons pact edit",
        url_name="commons:pact_edit",
        url_kwargs=_pk,
        setup=_proponent_draft,
        data=lambda s: {
            **{k: v for k, v in PACT_DATA.items() if k != "kind"},
            "cover": _png(),
            "cover_alt": "Neighbours weeding",
        },
        fields=(*PACT_FIELDS, "cover_alt"),
        stored=lambda s, f: getattr(Pact.objects.get(pk=s.objects["pact"].pk), f),
        rendered_at=_pact_url,
    )
)

register_form(
    FormCase(
        name="commons pact competing proposal",
        url_name="commons:pact_compete",
        url_kwargs=_pk,
        setup=_public_in_window,
        data=lambda s: {**PACT_DATA, "kind": "complex"},
        fields=("title", "objectives", "resources_offered"),
        stored=_pact_value,
    )
)

register_form(
    FormCase(
        name="commons pact party add",
        url_name="commons:party_add",
        url_kwargs=_pk,
        setup=_proponent_draft,
        data=lambda s: {"role": "cosigner", "email": s.objects["w"].public.email},
        fields=("email",),
        rendered_at=_pact_url,
    )
)

register_form(
    FormCase(
        name="commons pact commitment add",
        url_name="commons:commitment_add",
        url_kwargs=_pk,
        setup=_proponent_draft,
        data=lambda s: {
            "party": s.objects["pact"].parties.order_by("pk").first().pk,
            "category": "work",
            "description": "We weed every Saturday.",
        },
        fields=("description",),
        stored=lambda s, f: _latest(Commitment, f),
        rendered_at=_pact_url,
    )
)

register_form(
    FormCase(
        name="commons pact activity add",
        url_name="commons:activity_add",
        url_kwargs=_pk,
        setup=_proponent_draft,
        data=lambda s: {
            "description": "Spring clean-up",
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-30",
        },
        fields=("description",),
        stored=lambda s, f: _latest(Activity, f),
        rendered_at=_pact_url,
    )
)

register_form(
    FormCase(
        name="commons pact document add",
        url_name="commons:document_add",
        url_kwargs=_pk,
        setup=_proponent_draft,
        data=lambda s: {"title": "Signed pact", "file": _pdf()},
        fields=("title",),
        stored=lambda s, f: _latest(PactDocument, f),
        rendered_at=_pact_url,
    )
)

register_form(
    FormCase(
        name="commons pact photo add",
        url_name="commons:photo_add",
        url_kwargs=_pk,
        setup=_proponent_draft,
        data=lambda s: {"image": _png(), "alt_text": "The garden before", "when": "before"},
        fields=("alt_text",),
        stored=lambda s, f: _latest(PactPhoto, f),
        rendered_at=_pact_url,
    )
)

register_form(
    FormCase(
        name="commons pact decision reason",
        url_name="commons:pact_act",
        url_kwargs=lambda s: {"pk": s.objects["pact"].pk, "action": "request_information"},
        setup=_officer_reviewing,
        data=lambda s: {"reason": "Which days will the garden be open?"},
        fields=("reason",),
        rendered_at=_pact_url,
        viewer=lambda s: None,  # the reason is published: the public sees it
    )
)

register_form(
    FormCase(
        name="commons pact comment",
        url_name="commons:comment_add",
        url_kwargs=_pk,
        setup=_public_in_window,
        data=lambda s: {"body": "Please keep the music rooms."},
        fields=("body",),
        rendered_at=_pact_url,
        viewer=lambda s: None,
    )
)

register_form(
    FormCase(
        name="commons shared draft edit",
        url_name="commons:draft_edit",
        url_kwargs=_pk,
        setup=_co_designing,
        data=lambda s: {"text": "# Pact\n\nWe care for it.", "note": "First draft"},
        fields=("text", "note"),
        stored=lambda s, f: getattr(
            s.objects["pact"].versions.order_by("-number").first(),
            "text" if f == "text" else "note",
        ),
        rendered_at=lambda s: (
            f"{_pact_url(s)}versions/{s.objects['pact'].versions.order_by('-number').first().number}/"
        ),
    )
)

register_form(
    FormCase(
        name="commons pact report",
        url_name="commons:report_file",
        url_kwargs=_pk,
        setup=_proponent_active,
        data=lambda s: {
            "period_start": "2026-03-01",
            "period_end": "2026-12-31",
            "summary": "We opened the garden 40 days.",
            "hours": "120",
            "indicator_0": "40",
        },
        fields=("summary", "indicator_0"),
        stored=lambda s, f: (
            _latest(PactReport, "summary")
            if f == "summary"
            else (_latest(PactReport, "indicator_values") or {}).get("Open days")
        ),
        rendered_at=_pact_url,
    )
)


def _comment_to_report() -> Scenario:
    scenario = _public_in_window()
    w, pact = scenario.objects["w"], scenario.objects["pact"]
    comment = services.comment_add(pact=pact, author=w.resident, body="Close it at night.")
    return _scenario(w, w.public, pact=pact, comment=comment)


register_form(
    FormCase(
        name="commons pact comment report",
        url_name="commons:comment_report",
        url_kwargs=lambda s: {"pk": s.objects["pact"].pk, "comment_pk": s.objects["comment"].pk},
        setup=_comment_to_report,
        data=lambda s: {"reason": "A personal attack."},
        fields=("reason",),
        stored=lambda s, f: _latest(Report, "reason"),
        # The city's officers read the reason in their moderation queue.
        rendered_at=lambda s: (
            f"/participation/organisations/{s.objects['w'].comune.slug}/moderation/"
        ),
        viewer=lambda s: s.objects["w"].officer,
    )
)
