"""Who may do what with commons, calls and pacts (matrix in docs/commons.md, checked role by
action in tests/commons/test_rules.py).

* **Officers** of a pact are the editors and admins of the organisation responsible for its
  commons (``Commons.organisation``: the city, or the public body that owns it). They publish,
  review, ask for information, decide, start, renew, close and terminate pacts, and keep the
  registry of commons and the calls for care of their organisation.
* **Proponents** are the person who drafted the pact and the people named as proponent parties
  (the contact person of a proponent organisation included): they edit their draft, submit it,
  answer questions and withdraw it.
* **Parties** (the city through its officers, each proponent, each co-signer) sign; proponents and
  co-signers report on a signed pact; everyone in co-design edits the shared draft.
* The public reads every pact but drafts and withdrawn ones, and, signed in, comments and makes
  competing proposals while the public window is open, and reports a comment to the moderators
  (the pact's officers, through ``participation.moderate_organisation``) whenever it can read it.
"""

import rules

from cocity.network.rules import is_org_editor, is_staff

from .models import Commons, Pact, PactParty

S = Pact.State


def _person_parties(user, pact: Pact) -> list[str]:  # type: ignore[no-untyped-def]
    """The roles this person holds as a named party of the pact (cached per request)."""
    if not user.is_authenticated or pact is None or pact.pk is None:
        return []
    cache = getattr(user, "_cocity_pact_roles", None)
    if cache is None:
        cache = user._cocity_pact_roles = {}
    if pact.pk not in cache:
        cache[pact.pk] = list(
            PactParty.objects.filter(pact_id=pact.pk, person_id=user.pk).values_list(
                "role", flat=True
            )
        )
    return list(cache[pact.pk])


def forget_pact_roles(user) -> None:  # type: ignore[no-untyped-def]
    if hasattr(user, "_cocity_pact_roles"):
        delattr(user, "_cocity_pact_roles")


@rules.predicate
def is_commons_officer(user, commons: Commons) -> bool:  # type: ignore[no-untyped-def]
    return commons is not None and is_org_editor(user, commons.organisation)


@rules.predicate
def is_pact_officer(user, pact: Pact) -> bool:  # type: ignore[no-untyped-def]
    return pact is not None and is_org_editor(user, pact.commons.organisation)


@rules.predicate
def is_pact_author(user, pact: Pact) -> bool:  # type: ignore[no-untyped-def]
    return pact is not None and user.is_authenticated and pact.created_by_id == user.pk


@rules.predicate
def is_pact_proponent(user, pact: Pact) -> bool:  # type: ignore[no-untyped-def]
    return PactParty.Role.PROPONENT in _person_parties(user, pact)


@rules.predicate
def is_pact_cosigner(user, pact: Pact) -> bool:  # type: ignore[no-untyped-def]
    return PactParty.Role.COSIGNER in _person_parties(user, pact)


@rules.predicate
def is_pact_public(user, pact: Pact) -> bool:  # type: ignore[no-untyped-def]
    return pact is not None and pact.is_public


@rules.predicate
def is_pact_editable(user, pact: Pact) -> bool:  # type: ignore[no-untyped-def]
    return pact is not None and pact.state in (S.DRAFT, S.AWAITING_INFORMATION)


@rules.predicate
def is_window_open(user, pact: Pact) -> bool:  # type: ignore[no-untyped-def]
    return pact is not None and pact.state == S.PUBLIC_WINDOW


@rules.predicate
def is_in_co_design(user, pact: Pact) -> bool:  # type: ignore[no-untyped-def]
    return pact is not None and pact.state == S.CO_DESIGN


is_signed_in = rules.is_authenticated
is_proponent = is_pact_author | is_pact_proponent
is_party = is_pact_proponent | is_pact_cosigner | is_pact_officer

# Commons and calls (add_*: object is the organisation; change_commons: the commons)
rules.add_perm("commons.view_commons", rules.always_allow)
rules.add_perm("commons.add_commons", is_org_editor | is_staff)
rules.add_perm("commons.change_commons", is_commons_officer | is_staff)
rules.add_perm("commons.add_callforcare", is_org_editor | is_staff)
rules.add_perm("commons.propose_for_commons", is_signed_in)
# Pacts (object: Pact)
rules.add_perm(
    "commons.view_pact",
    is_pact_public | is_proponent | is_pact_cosigner | is_pact_officer | is_staff,
)
rules.add_perm("commons.propose_pact", is_proponent)
rules.add_perm("commons.change_pact", is_proponent & is_pact_editable)
rules.add_perm("commons.review_pact", is_pact_officer | is_staff)
rules.add_perm("commons.sign_pact", is_party)
rules.add_perm("commons.report_pact", is_pact_proponent | is_pact_cosigner)
rules.add_perm("commons.comment_pact", is_signed_in & is_window_open)
rules.add_perm(
    "commons.report_comment",
    is_signed_in & (is_pact_public | is_proponent | is_pact_cosigner | is_pact_officer | is_staff),
)
rules.add_perm("commons.compete_pact", is_signed_in & is_window_open)
rules.add_perm("commons.edit_shared_draft", is_in_co_design & (is_party | is_staff))
