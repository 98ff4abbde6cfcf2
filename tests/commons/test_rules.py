"""Every role against every action on a pact (the matrix in docs/commons.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.commons.models import Pact
from tests.commons import scenario
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "public", "clerk", "proponent", "cosigner", "officer", "staff")

# perm -> state the pact is in -> roles allowed
MATRIX = {
    "commons.view_pact": {
        "draft": {"proponent", "cosigner", "officer", "staff"},
        "public_window": set(ROLES),
    },
    "commons.change_pact": {
        "draft": {"proponent", "cosigner_no"},
        "under_review": set(),
        "awaiting_information": {"proponent"},
    },
    "commons.propose_pact": {"draft": {"proponent"}},
    "commons.review_pact": {"under_review": {"officer", "staff"}},
    "commons.sign_pact": {"approved": {"proponent", "cosigner", "officer"}},
    "commons.report_pact": {"active": {"proponent", "cosigner"}},
    "commons.comment_pact": {
        "public_window": {"public", "clerk", "proponent", "cosigner", "officer", "staff"},
        "under_review": set(),
    },
    "commons.compete_pact": {
        "public_window": {"public", "clerk", "proponent", "cosigner", "officer", "staff"},
        "co_design": set(),
    },
    "commons.edit_shared_draft": {
        "co_design": {"proponent", "cosigner", "officer", "staff"},
        "public_window": set(),
    },
}


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    w = scenario.world()
    pact = scenario.draft(w)
    cosigner = UserFactory()
    from cocity.commons import services

    services.party_add(pact=pact, actor=w.resident, role="cosigner", person=cosigner)
    return (
        w,
        pact,
        {
            "anonymous": AnonymousUser(),
            "public": w.public,
            "clerk": w.clerk,
            "proponent": w.resident,
            "cosigner": cosigner,
            "officer": w.officer,
            "staff": UserFactory(is_staff=True),
        },
    )


def test_role_by_action(people):  # type: ignore[no-untyped-def]
    _w, pact, users = people
    failures = []
    for perm, states in MATRIX.items():
        for state, allowed in states.items():
            pact.state = state
            for role, user in users.items():
                expected = role in allowed
                if hasattr(user, "_cocity_pact_roles"):
                    del user._cocity_pact_roles
                if user.has_perm(perm, pact) != expected:
                    failures.append((perm, state, role, expected))
    assert not failures, failures


def test_commons_and_calls(people):  # type: ignore[no-untyped-def]
    w, _pact, users = people
    for role, user in users.items():
        expected = role in ("officer", "staff")
        assert user.has_perm("commons.add_commons", w.comune) is expected, role
        assert user.has_perm("commons.add_callforcare", w.comune) is expected, role
        assert user.has_perm("commons.change_commons", w.commons) is expected, role
        assert user.has_perm("commons.view_commons", w.commons)


def test_withdrawn_pacts_are_private(people):  # type: ignore[no-untyped-def]
    _w, pact, users = people
    pact.state = Pact.State.WITHDRAWN
    assert not users["public"].has_perm("commons.view_pact", pact)
    assert users["proponent"].has_perm("commons.view_pact", pact)
