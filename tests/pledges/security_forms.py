"""The pledges forms people type into, registered with the hostile-input corpus."""

from __future__ import annotations

from typing import Any

from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.pledges.models import (
    Framework,
    Measure,
    MeasureLink,
    Pledge,
    PledgeDocument,
    ProgressReport,
)
from tests.factories import (
    CampaignFactory,
    OrganisationMembershipFactory,
    pledge_with_measures,
)


def _officer() -> Scenario:
    membership = OrganisationMembershipFactory(role="editor")
    campaign = CampaignFactory()
    pledge = pledge_with_measures(campaign=campaign, organisation=membership.organisation)
    return Scenario(
        user=membership.user,
        objects={"campaign": campaign, "organisation": membership.organisation, "pledge": pledge},
    )


def _latest(model: Any) -> Any:
    return model.objects.order_by("-pk").first()


register_form(
    FormCase(
        name="pledge create",
        url_name="pledges:pledge_create",
        url_kwargs=lambda s: {"slug": s.objects["campaign"].slug},
        setup=_officer,
        data=lambda s: {
            "organisation": s.objects["organisation"].pk,
            "title": "Jobs",
            "statement": "We commit.",
            "signed_by": "Mayor",
            "signed_on": "2024-01-10",
        },
        fields=("title", "statement", "signed_by"),
        stored=lambda s, field: getattr(_latest(Pledge), field),
    )
)

register_form(
    FormCase(
        name="pledge measure add",
        url_name="pledges:measure_add",
        url_kwargs=lambda s: {"pk": s.objects["pledge"].pk},
        setup=_officer,
        data=lambda s: {
            "description": "Coaching",
            "amount": "1000",
            "currency": "EUR",
            "starts_on": "2024-02-01",
            "ends_on": "2025-02-01",
            "department": "Jobs",
            "indicator_name": "People",
            "indicator_unit": "people",
            "indicator_baseline": "0",
            "indicator_target": "10",
        },
        fields=("description", "department", "indicator_name", "indicator_unit", "currency"),
        stored=lambda s, field: {
            "indicator_name": lambda m: m.indicators.get().name,
            "indicator_unit": lambda m: m.indicators.get().unit,
        }.get(field, lambda m: getattr(m, field))(_latest(Measure)),
    )
)

register_form(
    FormCase(
        name="pledge progress report",
        url_name="pledges:report_file",
        url_kwargs=lambda s: {"pk": s.objects["pledge"].pk},
        setup=_officer,
        data=lambda s: {
            "measure": s.objects["pledge"].measures.get().pk,
            "reported_on": "2024-06-30",
            "spent": "10",
            "status": "on_track",
            "narrative": "Going well.",
        },
        fields=("narrative", "evidence_url"),
        stored=lambda s, field: getattr(_latest(ProgressReport), field),
    )
)

register_form(
    FormCase(
        name="pledge framework create",
        url_name="pledges:framework_create",
        setup=_officer,
        data=lambda s: {
            "organisation": s.objects["organisation"].pk,
            "name": "Our areas",
            "slug": "our-areas",
            "description": "",
            "items": "A1. Housing",
        },
        fields=("name", "description", "items"),
        stored=lambda s, field: {
            # A line is "code. name": give back both spellings of the line as it was typed.
            "items": lambda f: " ".join(
                f"{i.code}.{i.name} {i.code}. {i.name}" for i in f.items.all()
            ),
        }.get(field, lambda f: getattr(f, field))(_latest(Framework)),
    )
)

register_form(
    FormCase(
        name="pledge measure link add",
        url_name="pledges:link_add",
        url_kwargs=lambda s: {
            "pk": s.objects["pledge"].pk,
            "measure_id": s.objects["pledge"].measures.get().pk,
        },
        setup=_officer,
        # Another page (a title and an address); the kinds that name an item are resolved to
        # the item and refuse any address that is not its page.
        data=lambda s: {"kind": "other", "url": "https://example.org/jobs", "title": "Jobs fair"},
        fields=("title", "url"),
        stored=lambda s, field: getattr(_latest(MeasureLink), field),
    )
)


def _pdf() -> Any:
    from cocity.core.testing.files import pdf_upload

    return pdf_upload("budget.pdf")


register_form(
    FormCase(
        name="pledge document",
        url_name="pledges:document_add",
        url_kwargs=lambda s: {"pk": s.objects["pledge"].pk},
        setup=_officer,
        data=lambda s: {"title": "Budget 2025", "file": _pdf()},
        fields=("title",),
        stored=lambda s, field: getattr(_latest(PledgeDocument), field, None),
    )
)
