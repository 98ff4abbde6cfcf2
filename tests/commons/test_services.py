import datetime as dt
import io
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cocity.commons import lifecycle, services
from cocity.commons.models import (
    Commitment,
    Commons,
    Pact,
    PactDocument,
    PactHistoryEntry,
    PactParty,
    PactReport,
    PactVersion,
)
from cocity.core.testing.files import pdf_upload
from tests.commons import scenario
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Pact.State


@pytest.fixture
def w():  # type: ignore[no-untyped-def]
    return scenario.world()


def _history(pact: Pact) -> list[tuple[str, str, str]]:
    return list(pact.history.order_by("id").values_list("action", "from_state", "to_state"))


def _consistent(pact: Pact) -> None:
    """Each entry starts where the previous ended, and the last is the pact's state."""
    pact.refresh_from_db()
    rows = [r for r in _history(pact) if r[1] != r[2]]
    for before, after in itertools.pairwise(rows):
        assert before[2] == after[1], rows
    assert rows[-1][2] == pact.state


def png(size=(4, 4)) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    Image.new("RGB", size, "green").save(buf, "PNG")
    return SimpleUploadedFile("photo.png", buf.getvalue(), content_type="image/png")


def test_complex_pact_from_proposal_to_first_report(w):  # type: ignore[no-untyped-def]
    main = scenario.in_window(w)
    assert main.step_due_on == dt.date.today() + dt.timedelta(days=60)
    # The public comments; a rival group makes a competing proposal, which the city merges.
    services.comment_add(pact=main, author=w.public, body="Please keep the courtyard open.")
    rival_person = UserFactory()
    rival_org = OrganisationFactory(name="Rival collective")
    rival = services.pact_create(
        commons=w.commons, kind="ordinary", created_by=rival_person, organisation=rival_org,
        competes_with=main, title="A music school", level=Pact.Level.REGENERATION,
        objectives="Music lessons in the old hall.", starts_on=scenario.START,
        ends_on=scenario.START.replace(year=2030),
    )  # fmt: skip
    assert rival.kind == "complex" and rival.competes_with == main
    scenario.commit_all(rival, rival_person)
    services.pact_transition(pact=rival, action="submit", actor=rival_person)
    services.pact_transition(pact=rival, action="merge", actor=w.officer, reason="Both fit.")
    rival.refresh_from_db()
    assert rival.state == S.MERGED and rival.merged_into == main
    joined = main.parties.get(organisation=rival_org)
    assert joined.role == PactParty.Role.COSIGNER and joined.person == rival_person
    assert joined.commitments.count() == 1
    # Co-design: a shared draft with versions and a diff.
    main = services.pact_transition(
        pact=main, action="start_co_design", actor=w.officer, reason="Window closed."
    )
    assert main.state == S.CO_DESIGN
    first = main.versions.get()
    assert "Merged proposal: A music school" in first.text
    second = services.draft_save(
        pact=main, actor=w.resident, text=first.text + "\nOpen until 22:00.\n", note="hours"
    )
    assert second.number == 2
    services.draft_save(pact=main, actor=w.officer, text=second.text.replace("22:00", "21:00"))
    assert list(main.versions.values_list("number", flat=True)) == [1, 2, 3]
    # Every party signs; the last signature makes it signed.
    parties = list(main.parties.all())
    assert len(parties) == 3
    main = scenario.sign_all(w, main)
    assert main.state == S.SIGNED
    assert all(p.signed_at and p.signed_by for p in main.parties.all())
    main = services.pact_transition(pact=main, action="activate", actor=w.officer)
    report = services.report_file(
        pact=main, actor=rival_person, period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 6, 30), summary="Opened 20 times.", hours=140,
        indicator_values={"Open days": "20"}, photos=[(png(), "The hall, painted")],
    )  # fmt: skip
    main.refresh_from_db()
    assert main.state == S.REPORTED and report.photos.count() == 1
    assert [a for a, *_ in _history(main)] == [
        "create", "submit", "take_up", "open_window", "merge", "start_co_design", "sign",
        "activate", "report",
    ]  # fmt: skip
    _consistent(main)
    _consistent(rival)


def test_ordinary_pact_is_approved_then_signed_reported_renewed_closed(w):  # type: ignore[no-untyped-def]
    pact = scenario.active(w)
    assert pact.state == S.ACTIVE
    services.report_file(
        pact=pact, actor=w.resident, period_start=scenario.START,
        period_end=scenario.START + dt.timedelta(days=90), summary="Weeded.", hours=12,
    )  # fmt: skip
    services.pact_transition(pact=pact, action="renew", actor=w.officer, reason="Going well.")
    services.report_file(
        pact=pact, actor=w.resident, period_start=scenario.START,
        period_end=scenario.START + dt.timedelta(days=180), summary="Watered.", hours=20,
    )  # fmt: skip
    pact = services.pact_transition(pact=pact, action="close", actor=w.officer, reason="Done.")
    assert pact.state == S.CLOSED
    _consistent(pact)


def test_officer_asks_for_information_and_proponent_answers(w):  # type: ignore[no-untyped-def]
    pact = scenario.under_review(w)
    services.pact_transition(
        pact=pact, action="request_information", actor=w.officer, reason="Which days?"
    )
    services.pact_update(pact=pact, actor=w.resident, objectives="Saturdays and Sundays.")
    pact = services.pact_transition(
        pact=pact, action="provide_information", actor=w.resident, reason="Both weekend days."
    )
    assert pact.state == S.UNDER_REVIEW
    pact = services.pact_transition(pact=pact, action="reject", actor=w.officer, reason="No.")
    assert pact.state == S.REJECTED
    assert pact.history.last().reason == "No."
    _consistent(pact)


def test_a_pact_without_a_commitment_per_party_cannot_be_submitted(w):  # type: ignore[no-untyped-def]
    pact = scenario.draft(w)
    city = pact.parties.get(role=PactParty.Role.CITY)
    services.commitment_add(
        pact=pact, party=city, category="tools", description="Gloves.", actor=w.resident
    )
    with pytest.raises(ValidationError, match="Every party must make at least one commitment"):
        services.pact_transition(pact=pact, action="submit", actor=w.resident)
    pact.refresh_from_db()
    assert pact.state == S.DRAFT and pact.history.count() == 1


def test_dates_that_end_before_they_start_are_refused(w):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        scenario.draft(w, ends_on=scenario.START - dt.timedelta(days=1))
    assert not Pact.objects.exists() and not PactParty.objects.exists()
    pact = scenario.draft(w)
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.activity_add(
            pact=pact, description="Dig", starts_on=dt.date(2026, 5, 2),
            ends_on=dt.date(2026, 5, 1), actor=w.resident,
        )  # fmt: skip
    assert not pact.activities.exists()


def test_ordinary_pacts_last_at_most_three_years_by_default(w, settings):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="at most 3 years"):
        scenario.draft(w, ends_on=scenario.START.replace(year=2029, day=2))
    scenario.draft(w, kind="complex", ends_on=scenario.START.replace(year=2035))
    settings.COCITY_COMMONS_ORDINARY_MAX_YEARS = 5
    scenario.draft(w, ends_on=scenario.START.replace(year=2031))


def test_signature_by_someone_who_is_not_a_party_is_refused(w):  # type: ignore[no-untyped-def]
    pact = scenario.signable(w)
    proponent = pact.parties.get(role=PactParty.Role.PROPONENT)
    city = pact.parties.get(role=PactParty.Role.CITY)
    for intruder, party in ((w.public, proponent), (w.resident, city), (w.clerk, city)):
        with pytest.raises(ValidationError, match="Only a party to the pact can sign"):
            services.pact_sign(pact=pact, party=party, actor=intruder)
    assert not PactParty.objects.filter(signed_at__isnull=False).exists()
    services.pact_sign(pact=pact, party=proponent, actor=w.resident)
    with pytest.raises(ValidationError, match="already signed"):
        services.pact_sign(pact=pact, party=proponent, actor=w.resident)
    pact.refresh_from_db()
    assert pact.state == S.APPROVED


def test_signing_before_approval_is_refused(w):  # type: ignore[no-untyped-def]
    pact = scenario.under_review(w)
    with pytest.raises(ValidationError, match="cannot be signed"):
        services.pact_sign(pact=pact, party=pact.parties.first(), actor=w.officer)


def test_report_on_a_pact_that_is_not_active_is_refused(w):  # type: ignore[no-untyped-def]
    pact = scenario.signable(w)
    with pytest.raises(ValidationError, match="Only a pact in force"):
        services.report_file(
            pact=pact, actor=w.resident, period_start=scenario.START,
            period_end=scenario.START, summary="x", hours=1,
        )  # fmt: skip
    assert not PactReport.objects.exists()
    assert pact.history.count() == 4  # create, submit, take_up, approve


def test_report_by_someone_who_is_not_a_party_is_refused(w):  # type: ignore[no-untyped-def]
    pact = scenario.active(w)
    with pytest.raises(PermissionDenied):
        services.report_file(
            pact=pact, actor=w.public, period_start=scenario.START,
            period_end=scenario.START, summary="x", hours=1,
        )  # fmt: skip
    assert not PactReport.objects.exists()


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ("draft", "approve"),
        ("submitted", "activate"),
        ("under_review", "open_window"),  # an ordinary pact has no public window
        ("under_review", "merge"),  # not a competing proposal
        ("draft", "no_such_action"),
    ],
)
def test_transitions_the_lifecycle_does_not_allow_are_refused(w, setup, action):  # type: ignore[no-untyped-def]
    pact = getattr(scenario, setup)(w)
    if setup == "draft":
        scenario.commit_all(pact, w.resident)
    before = _history(pact)
    actor = w.officer if setup != "draft" else w.resident
    with pytest.raises(ValidationError):
        services.pact_transition(pact=pact, action=action, actor=actor, reason="because")
    assert _history(pact) == before
    assert Pact.objects.get(pk=pact.pk).state == pact.state


def test_decisions_need_a_published_reason(w):  # type: ignore[no-untyped-def]
    pact = scenario.under_review(w)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.pact_transition(pact=pact, action="reject", actor=w.officer, reason="  ")
    assert Pact.objects.get(pk=pact.pk).state == S.UNDER_REVIEW


def test_only_officers_decide(w):  # type: ignore[no-untyped-def]
    pact = scenario.submitted(w)
    for who in (w.resident, w.public, w.clerk):
        with pytest.raises(PermissionDenied):
            services.pact_transition(pact=pact, action="take_up", actor=who)
    assert Pact.objects.get(pk=pact.pk).state == S.SUBMITTED


def test_every_table_row_names_a_known_permission_and_label():  # type: ignore[no-untyped-def]
    import rules

    for row in lifecycle.TRANSITIONS:
        assert rules.perm_exists(row.who)
        assert row.action in lifecycle.ACTION_LABELS
        assert row.source in S.values and row.target in S.values
    keys = [(r.source, r.action, r.kind) for r in lifecycle.TRANSITIONS]
    assert len(keys) == len(set(keys))


def test_deadlines_are_configurable(w, settings):  # type: ignore[no-untyped-def]
    settings.COCITY_COMMONS_DEADLINES = {"submitted": 3}
    pact = scenario.submitted(w)
    assert pact.step_due_on == dt.date.today() + dt.timedelta(days=3)
    pact = services.pact_transition(pact=pact, action="take_up", actor=w.officer)
    assert pact.step_due_on == dt.date.today() + dt.timedelta(days=60)


def test_reminders_go_to_officers_once_per_step(w, mailoutbox):  # type: ignore[no-untyped-def]
    pact = scenario.submitted(w)
    PactHistoryEntry.objects.filter(pact=pact).update(due_on=dt.date.today() - dt.timedelta(days=1))
    mailoutbox.clear()
    with_capture = services.reminders_send()
    assert with_capture == 2  # officer (editor) and officer2 (admin); not the clerk
    assert services.reminders_send() == 0
    services.pact_transition(pact=pact, action="take_up", actor=w.officer)
    assert services.reminders_send(today=dt.date.today() + dt.timedelta(days=58)) == 2


def test_co_design_draft_rules(w):  # type: ignore[no-untyped-def]
    pact = scenario.in_window(w)
    with pytest.raises(ValidationError):
        services.draft_save(pact=pact, actor=w.officer, text="Too early")
    pact = services.pact_transition(
        pact=pact, action="start_co_design", actor=w.officer, reason="ok"
    )
    with pytest.raises(PermissionDenied):
        services.draft_save(pact=pact, actor=w.public, text="Mine now")
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.draft_save(pact=pact, actor=w.officer, text=pact.shared_draft)
    assert PactVersion.objects.filter(pact=pact).count() == 1


def test_commons_needs_a_location_alt_text_and_consent(w):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.commons_create(
            organisation=w.comune, name="Yard", slug="yard", kind="place", territory=w.hood,
            owner="private", actor=w.officer,
        )  # fmt: skip
    assert {"owner_consent", "latitude"} <= set(caught.value.error_dict)
    with pytest.raises(ValidationError, match="Polygon"):
        services.commons_create(
            organisation=w.comune, name="Yard", slug="yard", kind="place", territory=w.hood,
            shape='{"type": "Point", "coordinates": [1, 2]}', actor=w.officer,
        )  # fmt: skip
    shape = {"type": "Polygon", "coordinates": [[[11, 44], [11.1, 44], [11.1, 44.1], [11, 44]]]}
    yard = services.commons_create(
        organisation=w.comune, name="Yard", slug="yard", kind="place", territory=w.hood,
        shape=shape, actor=w.officer,
    )  # fmt: skip
    assert yard.territory_path == w.hood.path
    with pytest.raises(ValidationError, match="Describe the photo"):
        services.commons_photo_add(commons=yard, image=png(), alt_text=" ", actor=w.officer)
    with pytest.raises(ValidationError, match="not an image"):
        services.commons_photo_add(
            commons=yard, image=SimpleUploadedFile("x.png", b"GIF89a no"), alt_text="x",
            actor=w.officer,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.commons_create(
            organisation=w.comune, name="Z", slug="z", kind="digital", territory=w.hood,
            actor=w.resident,
        )  # fmt: skip
    assert Commons.objects.count() == 2 and not yard.photos.exists()


def test_documents_are_pdfs_under_the_size_limit(w, settings):  # type: ignore[no-untyped-def]
    pact = scenario.signable(w)
    with pytest.raises(ValidationError, match="not a PDF"):
        services.document_add(
            pact=pact, title="Pact", file=SimpleUploadedFile("p.pdf", b"<html>"), actor=w.resident
        )
    settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "pdf": 10}
    with pytest.raises(ValidationError, match="too large"):
        services.document_add(pact=pact, title="Pact", file=pdf_upload("p.pdf"), actor=w.resident)
    settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "pdf": 10_000}
    services.document_add(pact=pact, title="Pact", file=pdf_upload("p.pdf"), actor=w.resident)
    assert PactDocument.objects.count() == 1


def test_call_lists_only_the_organisations_commons(w):  # type: ignore[no-untyped-def]
    from tests.factories import CommonsFactory

    foreign = CommonsFactory()
    with pytest.raises(ValidationError, match="only list commons"):
        services.call_create(
            organisation=w.comune, title="Call", slug="call", opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 2, 1), commons=[w.commons, foreign], actor=w.officer,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="close before it opens"):
        services.call_create(
            organisation=w.comune, title="Call", slug="call", opens_on=dt.date(2026, 3, 1),
            closes_on=dt.date(2026, 2, 1), commons=[w.commons], actor=w.officer,
        )  # fmt: skip
    call = services.call_create(
        organisation=w.comune, title="Call", slug="call", opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 2, 1), commons=[w.commons], actor=w.officer,
    )  # fmt: skip
    assert list(call.commons.all()) == [w.commons]


def test_comments_only_during_the_window(w):  # type: ignore[no-untyped-def]
    pact = scenario.under_review(w)
    with pytest.raises(PermissionDenied):
        services.comment_add(pact=pact, author=w.public, body="Hello")
    assert not Commitment.objects.filter(description="Hello").exists()
