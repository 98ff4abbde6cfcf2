"""Pages of co-production processes. Thin: parse with a form, ask ``rules``, call a service or a
selector, render. Anything in a members-only space is a 404 for non-members."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.types import signed_in
from cocity.core.access import forbidden, login_or_forbidden, require_perm
from cocity.core.cache import public_page_cache
from cocity.core.csv import csv_response
from cocity.core.forms import add_service_errors, error_text
from cocity.core.http import vary_on_htmx
from cocity.core.pagination import paginate
from cocity.network.models import Space
from cocity.network.selectors.hubs import hub_filter
from cocity.participation import selectors as participation_selectors
from cocity.participation import services as participation
from cocity.participation.forms import CommentForm
from cocity.participation.models import Comment

from . import selectors, services
from .forms import (
    ActionForm,
    AnswerForm,
    IdeaFilterForm,
    IdeaForm,
    MergeForm,
    PhaseForm,
    PhaseSwitchForm,
    PlanStateForm,
    ProcessForm,
    ProgressForm,
    ReasonForm,
)
from .models import PHASE_ALLOWS, Action, Idea, Process

SEED_KEY = "plans_random_seed"
RANDOM_SEEDS = 2**31 - 1


def _seed(value: str | None) -> int | None:
    """A random order's seed from the address, if it is one (1 to RANDOM_SEEDS)."""
    if value is None or not value.isdigit() or len(value) > 10:
        return None
    seed = int(value)
    return seed if 1 <= seed <= RANDOM_SEEDS else None


# Visitors get these pages from the shared page cache; any write to a model they show (plans,
# comments and supports, network, pledges) bumps its namespaces (the cache table in apps.py).
PUBLIC_CACHE = ("plans", "participation", "network", "pledges")  # pledges: linked measures


# --- processes --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def process_list(request: HttpRequest) -> HttpResponse:
    hub = hub_filter(user=request.user, params=request.GET)  # a hub's "See all"
    qs = selectors.process_list(user=request.user, hub=hub.scope if hub else None)
    context = {"page_obj": paginate(qs, request.GET.get("page")), "hub_filter": hub}
    return render(request, "plans/process_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def process_create(request: HttpRequest, space_slug: str) -> HttpResponse:
    space = get_object_or_404(Space, slug=space_slug)
    if not request.user.has_perm("network.view_space", space):
        raise Http404
    refused = require_perm(
        request,
        "plans.add_process",
        space,
        _("Only the organisers of this space can start a process."),
    )
    if refused:
        return refused
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_create(space=space, **form.cleaned_data)
            return redirect(process.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "plans/process_form.html", {"form": form, "space": space})


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE)
def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    phase = process.active_phase()
    context = {
        "process": process,
        "phases": list(process.phases.all()),
        "active": phase,
        "allows": PHASE_ALLOWS[phase.kind] if phase else frozenset(),
        "today": timezone.localdate(),
        "is_organiser": request.user.has_perm("plans.change_process", process),
        "following": participation.is_following(target=process, user=request.user),
        "idea_count": process.ideas.count(),
        "action_count": process.actions.count(),
        "phase_form": PhaseForm(),
        "switch_form": PhaseSwitchForm(process=process, initial={"phase": process.manual_phase_id}),
        "plan_form": PlanStateForm(
            initial={"state": process.plan_state, "adopted_on": process.plan_adopted_on}
        ),
    }
    return render(request, "plans/process_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def process_edit(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    refused = require_perm(
        request, "plans.change_process", process, _("Only the organisers can change this process.")
    )
    if refused:
        return refused
    form = ProcessForm(request.POST or None, instance=process)
    if request.method == "POST" and form.is_valid():
        try:
            services.process_update(process=process, actor=signed_in(request), **form.cleaned_data)
            messages.success(request, _("Process saved."))
            return redirect(process.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request,
        "plans/process_form.html",
        {"form": form, "space": process.space, "process": process},
    )


@require_POST
def phase_add(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    refused = require_perm(
        request, "plans.change_process", process, _("Only the organisers can change this process.")
    )
    if refused:
        return refused
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.phase_add(process=process, **form.cleaned_data)
            messages.success(request, _("Phase added."))
            return redirect(process.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "plans/phase_form.html", {"form": form, "process": process}, status=400)


@require_POST
def phase_switch(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    refused = require_perm(
        request, "plans.change_process", process, _("Only the organisers can change this process.")
    )
    if refused:
        return refused
    form = PhaseSwitchForm(request.POST, process=process)
    if form.is_valid():
        services.phase_switch(
            process=process, phase=form.cleaned_data["phase"], actor=signed_in(request)
        )
        messages.success(request, _("Active phase changed."))
    else:
        messages.error(request, _("Choose a phase of this process."))
    return redirect(process.get_absolute_url())


@require_POST
def plan_state(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    refused = require_perm(
        request, "plans.change_process", process, _("Only the organisers can change this process.")
    )
    if refused:
        return refused
    form = PlanStateForm(request.POST)
    if form.is_valid():
        try:
            services.plan_set_state(
                process=process,
                actor=signed_in(request),
                state=form.cleaned_data["state"],
                adopted_on=form.cleaned_data["adopted_on"],
            )
            messages.success(request, _("Action plan state saved."))
        except ValidationError as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, _("Choose draft or adopted."))
    return redirect("plans:plan", slug=process.slug)


def _follow(request: HttpRequest, target: Any, back: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_or_forbidden(request, next_url=back)
    follow = request.POST.get("follow") == "1"
    participation.follow_set(target=target, user=request.user, follow=follow)
    messages.success(request, _("You follow it now.") if follow else _("You no longer follow it."))
    return HttpResponseRedirect(back)


@require_POST
def process_follow(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    return _follow(request, process, process.get_absolute_url())


# --- ideas ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE)
def idea_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    form = IdeaFilterForm(request.GET or None, places=selectors.idea_filter_places(process))
    data = form.cleaned_data if form.is_valid() else {}
    sort = data.get("sort") or "newest"
    seed = 0
    if sort == "random":
        # The visitor's order is in the address (``seed``), so that its pages can be cached and
        # shared like any other; without one, the visitor's own seed (kept in their session) is
        # put there by a redirect.
        from_address = _seed(request.GET.get("seed"))
        if from_address is None:
            mine = request.session.get(SEED_KEY) or secrets.randbelow(RANDOM_SEEDS) + 1
            request.session[SEED_KEY] = mine
            query = request.GET.copy()
            query["seed"] = str(mine)
            query.pop("page", None)
            return redirect(f"{request.path}?{query.urlencode()}")
        seed = from_address
    territory = data.get("territory")
    merged = {"yes": True, "no": False}.get(data.get("merged") or "")
    qs = selectors.idea_list(
        process,
        sort=sort,
        seed=seed,
        topic=data["topic"].pk if data.get("topic") else None,
        territory_path=territory.path if territory else None,
        answer=data.get("answer") or None,
        merged=merged,
    )
    page_obj = selectors.bounded_page(qs, request.GET.get("page"))
    selectors.attach_process(process, page_obj.object_list)
    supported = participation.supported_ids(
        user=request.user, model=Idea, ids=[i.pk for i in page_obj]
    )
    context = {
        "process": process,
        "form": form,
        "page_obj": page_obj,
        "supported": supported,
        "can_post": process.allows("post") and request.user.has_perm("plans.participate", process),
        "max_pages": selectors.MAX_PAGES,
    }
    template = (
        "plans/partials/idea_results.html"
        if getattr(request, "htmx", False)
        else "plans/idea_list.html"
    )
    return vary_on_htmx(render(request, template, context))


@require_http_methods(["GET", "HEAD"])
def idea_similar(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    title = request.GET.get("title", "")[:200]
    similar = selectors.similar_ideas(process, title)
    template = (
        "plans/partials/similar.html"
        if getattr(request, "htmx", False)
        else "plans/similar_page.html"
    )
    return vary_on_htmx(
        render(request, template, {"process": process, "similar": similar, "title": title})
    )


@require_http_methods(["GET", "HEAD", "POST"])
def idea_create(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    refused = require_perm(
        request, "plans.participate", process, _("You cannot take part in this process.")
    )
    if refused:
        return refused
    if not process.allows("post"):
        return forbidden(
            request,
            _("New ideas cannot be posted in the current phase of this process."),
            status=400,
        )
    form = IdeaForm(request.POST or None, request.FILES or None, user=request.user, process=process)
    similar: list[Idea] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            idea = services.idea_create(process=process, author=request.user, **data)
            messages.success(request, _("Your idea is posted."))
            return redirect(idea.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
    if request.method == "POST":
        similar = selectors.similar_ideas(process, request.POST.get("title", ""))
    return render(
        request,
        "plans/idea_form.html",
        {"form": form, "process": process, "similar": similar},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE)
def idea_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    idea = selectors.idea_detail(process, pk)
    page_obj = paginate(participation_selectors.comment_threads(idea), request.GET.get("page"))
    user = request.user
    context = {
        "process": process,
        "idea": idea,
        "page_obj": page_obj,
        "supported": bool(participation.supported_ids(user=user, model=Idea, ids=[idea.pk])),
        "following": participation.is_following(target=idea, user=user),
        "can_participate": user.has_perm("plans.participate", process),
        "can_edit": user.is_authenticated and idea.author_id == user.pk and process.allows("edit"),
        "is_organiser": user.has_perm("plans.facilitate", process),
        "allows_comment": process.allows("comment"),
        "allows_support": process.allows("support"),
        "comment_form": CommentForm(),
        "answer_form": AnswerForm(initial={"answer": idea.answer, "reason": idea.answer_reason}),
        "report_form": ReasonForm(),
        "now": timezone.now(),
        "edit_window": participation.COMMENT_EDIT_WINDOW,
    }
    return render(request, "plans/idea_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def idea_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    idea = selectors.idea_detail(process, pk)
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    if idea.author_id != request.user.pk:
        return login_or_forbidden(request, _("You can only edit your own ideas."))
    form = IdeaForm(
        request.POST or None,
        request.FILES or None,
        instance=idea,
        user=request.user,
        process=process,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            fresh = Idea.objects.get(pk=idea.pk)
            services.idea_update(idea=fresh, editor=request.user, **data)
            messages.success(request, _("Your idea is saved."))
            return redirect(idea.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
    elif request.method != "POST" and not process.allows("edit"):
        return forbidden(
            request, _("Ideas cannot be edited in the current phase of this process."), status=400
        )
    return render(
        request,
        "plans/idea_form.html",
        {"form": form, "process": process, "idea": idea},
        status=400 if form.errors else 200,
    )


def _participant(request: HttpRequest, process: Process) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    return require_perm(
        request, "plans.participate", process, _("You cannot take part in this process.")
    )


@require_POST
def idea_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    idea = selectors.idea_detail(process, pk)
    refused = _participant(request, process)
    if refused:
        return refused
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
        try:
            services.idea_comment(
                idea=idea,
                author=signed_in(request),
                body=form.cleaned_data["body"],
                stance=form.cleaned_data["stance"],
                parent=parent,
            )
            messages.success(request, _("Your comment is posted."))
        except ValidationError as error:
            messages.error(request, error_text(error))
    else:
        return render(
            request, "plans/comment_form.html", {"form": form, "process": process}, status=400
        )
    return redirect(idea.get_absolute_url() + "#comments")


@require_POST
def idea_support(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    idea = selectors.idea_detail(process, pk)
    refused = _participant(request, process)
    if refused:
        return refused
    try:
        if request.POST.get("support") == "0":
            services.idea_unsupport(idea=idea, user=signed_in(request))
            messages.success(request, _("Your support is withdrawn."))
        else:
            services.idea_support(idea=idea, user=signed_in(request))
            messages.success(request, _("You support this idea."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    back = request.POST.get("next") or ""
    return redirect(back if back.startswith("/processes/") else idea.get_absolute_url())


@require_POST
def idea_follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    idea = selectors.idea_detail(process, pk)
    return _follow(request, idea, idea.get_absolute_url())


@require_POST
def idea_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    idea = selectors.idea_detail(process, pk)
    refused = require_perm(
        request, "plans.facilitate", process, _("Only the facilitators can answer ideas.")
    )
    if refused:
        return refused
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.idea_answer(
                idea=idea,
                facilitator=request.user,
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The answer is published."))
        except ValidationError as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, _("Choose an answer and give the public reason."))
    return redirect(idea.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    comment = get_object_or_404(Comment.objects.select_related("content_type"), pk=pk)
    target = comment.target
    if getattr(target, "process_id", None) != process.pk:
        raise Http404
    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    if not participation.comment_can_edit(comment=comment, user=request.user):
        return login_or_forbidden(request, _("This comment can no longer be edited by you."))
    form = CommentForm(
        request.POST or None, initial={"body": comment.body, "stance": comment.stance}
    )
    if request.method == "POST" and form.is_valid():
        try:
            participation.comment_update(
                comment=comment,
                user=request.user,
                body=form.cleaned_data["body"],
                stance=form.cleaned_data["stance"],
            )
            return redirect(target.get_absolute_url() + "#comments")  # type: ignore[union-attr]
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request, "plans/comment_form.html", {"form": form, "process": process, "target": target}
    )


@require_POST
def report(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    if kind == "idea":
        target: Any = selectors.idea_detail(process, pk)
        back = target.get_absolute_url()
    elif kind == "comment":
        target = get_object_or_404(Comment, pk=pk)
        owner = target.target
        if getattr(owner, "process_id", None) != process.pk:
            raise Http404
        back = owner.get_absolute_url()
    else:
        raise Http404
    if not request.user.is_authenticated:
        return login_or_forbidden(request, next_url=back)
    form = ReasonForm(request.POST)
    if form.is_valid():
        participation.report_create(
            target=target,
            space=process.space,
            reporter=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Thank you: the moderators will look at it."))
    else:
        messages.error(request, _("Say why you report it."))
    return redirect(back)


# --- refinement and the action plan -----------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def merge(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    refused = require_perm(
        request, "plans.facilitate", process, _("Only the facilitators can merge ideas.")
    )
    if refused:
        return refused
    candidates = Idea.objects.filter(
        process=process, action__isnull=True, hidden_at__isnull=True
    ).order_by("-support_count", "-id")
    form = MergeForm(
        request.POST or None,
        process=process,
        ideas=None if request.method == "POST" else candidates[:200],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_merge(
                process=process,
                facilitator=request.user,
                ideas=list(data["ideas"]),
                title=data.get("title") or "",
                description=data.get("description") or "",
                action=data.get("action"),
            )
            messages.success(request, _("Ideas merged into the action."))
            return redirect(action.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
    if request.method == "POST":
        form.fields["ideas"].queryset = candidates[:200]  # type: ignore[attr-defined]
    initial_ids = {int(i) for i in request.GET.getlist("idea") if i.isdigit()}
    return render(
        request,
        "plans/merge_form.html",
        {"form": form, "process": process, "initial_ids": initial_ids},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE)
def action_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    action = selectors.action_detail(process, pk)
    context = {
        "process": process,
        "action": action,
        "page_obj": paginate(
            participation_selectors.comment_threads(action), request.GET.get("page")
        ),
        "is_organiser": request.user.has_perm("plans.facilitate", process),
        "can_participate": request.user.has_perm("plans.participate", process),
        "following": participation.is_following(target=action, user=request.user),
        "comment_form": CommentForm(),
        "progress_form": ProgressForm(
            initial={
                "progress": action.progress,
                "status": action.status,
                "on": timezone.localdate(),
            }
        ),
    }
    return render(request, "plans/action_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def action_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    refused = require_perm(
        request, "plans.facilitate", process, _("Only the facilitators can change actions.")
    )
    if refused:
        return refused
    action = selectors.action_detail(process, pk) if pk else Action(process=process)
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        partners = form.cleaned_data.pop("partners")
        action = form.instance
        try:
            services.action_save(action=action, actor=signed_in(request), partners=list(partners))
            messages.success(request, _("Action saved."))
            return redirect(action.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request,
        "plans/action_form.html",
        {"form": form, "process": process, "action": action if action.pk else None},
    )


@require_POST
def action_follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    action = selectors.action_detail(process, pk)
    return _follow(request, action, action.get_absolute_url())


@require_POST
def action_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    action = selectors.action_detail(process, pk)
    refused = _participant(request, process)
    if refused:
        return refused
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = (
            Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
            if form.cleaned_data.get("parent")
            else None
        )
        try:
            services.action_comment(
                action=action,
                author=signed_in(request),
                body=form.cleaned_data["body"],
                stance=form.cleaned_data["stance"],
                parent=parent,
            )
            messages.success(request, _("Your comment is posted."))
        except ValidationError as error:
            messages.error(request, error_text(error))
    else:
        return render(
            request, "plans/comment_form.html", {"form": form, "process": process}, status=400
        )
    return redirect(action.get_absolute_url() + "#comments")


@require_http_methods(["GET", "HEAD", "POST"])
def progress_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    action = selectors.action_detail(process, pk)
    refused = require_perm(
        request, "plans.facilitate", process, _("Only the facilitators can report progress.")
    )
    if refused:
        return refused
    form = ProgressForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_add(
                action=action,
                author=signed_in(request),
                text=data["text"],
                progress=data["progress"],
                status=data["status"],
                on=data["on"],
                link=data.get("link") or "",
                file=data.get("file") or None,
            )
            messages.success(request, _("Progress report filed."))
            return redirect(action.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request,
        "plans/progress_form.html",
        {"form": form, "process": process, "action": action},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD"])
@public_page_cache(PUBLIC_CACHE)
def plan(request: HttpRequest, slug: str, printable: bool = False) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    actions = selectors.plan_actions(process)
    dates = [d for a in actions for d in (a.starts_on, a.due_on) if d]
    context = {
        "process": process,
        "groups": selectors.plan_by_topic(actions),
        "actions": actions,
        "is_organiser": request.user.has_perm("plans.change_process", process),
        "first": min(dates) if dates else None,
        "last": max(dates) if dates else None,
        "plan_form": PlanStateForm(
            initial={"state": process.plan_state, "adopted_on": process.plan_adopted_on}
        ),
    }
    return render(request, "plans/plan_print.html" if printable else "plans/plan.html", context)


@require_http_methods(["GET", "HEAD"])
def plan_csv(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    header = [
        "id",
        "title",
        "topic",
        "status",
        "progress",
        "lead_organisation",
        "partners",
        "starts_on",
        "due_on",
        "deliverables",
        "source_ideas",
    ]
    rows = (
        [
            action.pk,
            action.title,
            action.topic.label if action.topic else "",
            action.status,
            action.progress,
            action.lead_organisation.name if action.lead_organisation else "",
            "; ".join(p.name for p in action.partners.all()),
            action.starts_on or "",
            action.due_on or "",
            action.deliverables,
            "; ".join(f"{i.pk}: {i.title}" for i in action.source_ideas.all()),
        ]
        for action in selectors.plan_actions(process)
    )
    return csv_response(header, rows, filename=f"{process.slug}-action-plan.csv")
