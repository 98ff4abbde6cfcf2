"""The pact lifecycle in one place: every allowed move is one row of ``TRANSITIONS``.

A row is (from state, action, to state, who may, needs a reason). ``who`` names a permission in
``rules.py`` (checked on the pact); ``kind`` restricts a row to ordinary or complex pacts. Anything
not in the table is refused by ``services.pact_transition`` with a clear message, so the pages,
the demo and the commands cannot drift from it. ``docs/commons.md`` prints this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Pact

S = Pact.State
K = Pact.Kind

# Who may: permission names (rules.py).
PROPONENT = "commons.propose_pact"  # edits and submits its own draft, answers questions
OFFICER = "commons.review_pact"  # officers of the city responsible for the commons
PARTY = "commons.sign_pact"  # a party to the pact (signature)
REPORTER = "commons.report_pact"  # proponents and co-signers of a signed pact

IN_FORCE = (S.ACTIVE, S.REPORTED, S.RENEWED)
REVIEW_STEPS = (S.SUBMITTED, S.UNDER_REVIEW, S.AWAITING_INFORMATION, S.PUBLIC_WINDOW)


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    who: str
    needs_reason: bool
    kind: str | None = None  # None: both types


def _t(source, action, target, who, reason, kind=None):
    return Transition(source, action, target, who, reason, kind)


TRANSITIONS: tuple[Transition, ...] = (
    _t(S.DRAFT, "submit", S.SUBMITTED, PROPONENT, False),
    _t(S.DRAFT, "withdraw", S.WITHDRAWN, PROPONENT, False),
    _t(S.SUBMITTED, "withdraw", S.WITHDRAWN, PROPONENT, True),
    _t(S.SUBMITTED, "take_up", S.UNDER_REVIEW, OFFICER, False),
    _t(S.UNDER_REVIEW, "request_information", S.AWAITING_INFORMATION, OFFICER, True),
    _t(S.AWAITING_INFORMATION, "provide_information", S.UNDER_REVIEW, PROPONENT, True),
    _t(S.UNDER_REVIEW, "approve", S.APPROVED, OFFICER, True, K.ORDINARY),
    _t(S.UNDER_REVIEW, "open_window", S.PUBLIC_WINDOW, OFFICER, True, K.COMPLEX),
    _t(S.PUBLIC_WINDOW, "start_co_design", S.CO_DESIGN, OFFICER, True, K.COMPLEX),
    # A competing proposal, once reviewed, can be merged into the pact it competes with.
    _t(S.SUBMITTED, "merge", S.MERGED, OFFICER, True),
    _t(S.UNDER_REVIEW, "merge", S.MERGED, OFFICER, True),
    *(_t(step, "reject", S.REJECTED, OFFICER, True) for step in REVIEW_STEPS),
    # The last party to sign moves the pact to "signed" (services.pact_sign).
    _t(S.APPROVED, "sign", S.SIGNED, PARTY, False, K.ORDINARY),
    _t(S.CO_DESIGN, "sign", S.SIGNED, PARTY, False, K.COMPLEX),
    _t(S.SIGNED, "activate", S.ACTIVE, OFFICER, False),
    *(_t(step, "report", S.REPORTED, REPORTER, False) for step in IN_FORCE),
    *(_t(step, "renew", S.RENEWED, OFFICER, True) for step in IN_FORCE),
    *(_t(step, "close", S.CLOSED, OFFICER, True) for step in IN_FORCE),
    *(_t(step, "terminate", S.TERMINATED, OFFICER, True) for step in IN_FORCE),
)

ACTION_LABELS = {
    "create": _("proposal drafted"),
    "submit": _("submit the proposal"),
    "withdraw": _("withdraw"),
    "take_up": _("publish and start the review"),
    "request_information": _("ask for more information"),
    "provide_information": _("answer with the information asked for"),
    "approve": _("approve (ordinary pact)"),
    "open_window": _("open the public window"),
    "start_co_design": _("close the window and start co-design"),
    "merge": _("merge into the pact it competes with"),
    "reject": _("reject"),
    "sign": _("signed by every party"),
    "activate": _("start the pact"),
    "report": _("report"),
    "renew": _("renew"),
    "close": _("close"),
    "terminate": _("terminate"),
}

# Actions offered as buttons on the pact page (sign and report have their own forms).
BUTTON_ACTIONS = tuple(a for a in ACTION_LABELS if a not in ("create", "sign", "report", "merge"))

DEFAULT_DEADLINES = {
    S.SUBMITTED: 10,  # the city publishes (takes up) a proposal within 10 days
    S.UNDER_REVIEW: 60,  # and decides within 60 days
    S.AWAITING_INFORMATION: 30,  # the proponents answer within 30 days
    S.PUBLIC_WINDOW: 60,  # the public window of a complex pact lasts 60 days
    S.APPROVED: 30,  # signatures within 30 days
    S.CO_DESIGN: 90,  # co-design within 90 days
}


def deadline_days(state: str) -> int | None:
    """Days allowed for a step, from ``COCITY_COMMONS_DEADLINES`` (state to days) or defaults."""
    configured = getattr(settings, "COCITY_COMMONS_DEADLINES", None) or {}
    merged = {**{str(k): v for k, v in DEFAULT_DEADLINES.items()}, **configured}
    return merged.get(str(state))


def due_date(state: str, since: date) -> date | None:
    days = deadline_days(state)
    return since + timedelta(days=days) if days else None


def find(pact: Pact, action: str) -> Transition | None:
    for row in TRANSITIONS:
        if row.source == pact.state and row.action == action and row.kind in (None, pact.kind):
            return row
    return None


def available(pact: Pact) -> list[Transition]:
    return [r for r in TRANSITIONS if r.source == pact.state and r.kind in (None, pact.kind)]
