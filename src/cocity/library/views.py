from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cocity.accounts.types import signed_in
from cocity.core.forms import add_service_errors, error_text
from cocity.core.http import HtmxHttpRequest, vary_on_htmx
from cocity.core.pagination import paginate
from cocity.network.selectors.hubs import hub_filter

from . import selectors, services
from .forms import (
    AttachmentForm,
    CommentForm,
    ContactForm,
    ItemForm,
    PostForm,
    ReviewForm,
    TranslationForm,
)
from .models import ContactRequest, LibraryItem, PeerPost


def item_list(request: HtmxHttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in LibraryItem.Kind.values else ""
    hub = hub_filter(user=request.user, params=request.GET)  # a hub's "See all"
    items = selectors.item_list(
        user=request.user,
        kind=kind,
        topic=request.GET.get("topic", "")[:120],
        hub=hub.scope if hub else None,
    )
    page = paginate(items, request.GET.get("page"))
    context = {
        "hub_filter": hub,
        "page_obj": page,
        "kinds": LibraryItem.Kind.choices,
        "kind": kind,
        "mine": selectors.items_to_review(request.user)[:20],
    }
    template = "library/partials/item_results.html" if request.htmx else "library/item_list.html"
    return vary_on_htmx(render(request, template, context))


def _visible_item(request: HttpRequest, pk: int) -> LibraryItem:
    try:
        item = selectors.item_detail(pk)
    except LibraryItem.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("library.view_item", item):
        raise Http404
    return item


def _detail_context(request: HttpRequest, item: LibraryItem, **forms: Any) -> dict[str, Any]:
    user = request.user
    return {
        "item": item,
        "related": selectors.related_items(user=user, item=item) if item.is_published else [],
        "can_change": user.has_perm("library.change_item", item),
        "can_submit": user.has_perm("library.submit_item", item),
        "can_review": user.has_perm("library.review_item", item),
        "can_archive": user.has_perm("library.archive_item", item),
        "can_comment": user.has_perm("library.comment_item", item),
        "review_form": ReviewForm(),
        "comment_form": CommentForm(),
        **forms,
    }


def item_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    item = _visible_item(request, pk)
    if slug != item.slug:
        return redirect(item.get_absolute_url(), permanent=True)
    return render(request, "library/item_detail.html", _detail_context(request, item))


def _form_kwargs(form: ItemForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "language": data["language"],
        "published_on": data.get("published_on"),
        "topics": data["topics"],
        "territories": data["territories"],
        "organisations": data["organisations"],
        "figures": data["figures"],
        "links": data["links"],
        "cover": data.get("cover"),
        "cover_alt": data["cover_alt"],
    }


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                user=signed_in(request), space=form.cleaned_data["space"], **_form_kwargs(form)
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect(item.get_absolute_url())
    return render(request, "library/item_form.html", {"form": form})


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    if not request.user.has_perm("library.change_item", item):
        raise Http404
    initial = {
        "space": item.space,
        "kind": item.kind,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "language": item.language,
        "published_on": item.published_on,
        "topics": list(item.topics.all()),
        "territories": list(item.territories.all()),
        "organisations": list(item.organisations.all()),
        "cover_alt": item.cover_alt,
        "figures": "\n".join(
            f"{f.label} | {f.value.normalize():f} | {f.unit}" for f in item.figures.all()
        ),
        "links": "\n".join(f"{ln.url} | {ln.title}" for ln in item.links.all()),
    }
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    form.fields["space"].required = False
    form.fields["space"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(user=signed_in(request), item=item, **_form_kwargs(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(item.get_absolute_url())
    return render(request, "library/item_form.html", {"form": form, "item": item})


def _post_action(request: HttpRequest, pk: int, action: Any, **kwargs: Any) -> HttpResponse:
    item = _visible_item(request, pk)
    try:
        action(user=request.user, item=item, **kwargs)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    response = _post_action(request, pk, services.item_submit)
    messages.info(request, _("Sent to the space's editors for review."))
    return response


@login_required
@require_POST
def item_review(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReviewForm(request.POST)
    if not form.is_valid():  # a comment too long: refused, and nothing is decided
        item = _visible_item(request, pk)
        messages.error(request, " ".join(str(error) for error in form.errors["comment"]))
        return redirect(item.get_absolute_url())
    comment = form.cleaned_data["comment"]
    if request.POST.get("decision") == "publish":
        return _post_action(request, pk, services.item_publish, comment=comment)
    return _post_action(request, pk, services.item_return, comment=comment)


@login_required
@require_POST
def item_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, services.item_archive)


@login_required
@require_POST
def item_comment(request: HttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["body"].strip():
        item = _visible_item(request, pk)
        if not request.user.has_perm("library.comment_item", item):
            raise Http404
        if form.is_valid():
            form.add_error("body", _("Write a comment."))
        context = _detail_context(request, item, comment_form=form)
        return render(request, "library/item_detail.html", context, status=200)
    return _post_action(request, pk, services.item_comment, body=form.cleaned_data["body"])


@login_required
def item_translate(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    if not request.user.has_perm("library.change_item", item):
        raise Http404
    form = TranslationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.translation_save(user=signed_in(request), item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Translation saved."))
            return redirect(item.get_absolute_url())
    return render(
        request,
        "library/simple_form.html",
        {"form": form, "item": item, "heading": _("Add a translation"), "multipart": False},
    )


@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible_item(request, pk)
    if not request.user.has_perm("library.change_item", item):
        raise Http404
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                user=signed_in(request), item=item, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Document added."))
            return redirect(item.get_absolute_url())
    return render(
        request,
        "library/simple_form.html",
        {"form": form, "item": item, "heading": _("Add a document"), "multipart": True},
    )


# Peer matching -------------------------------------------------------------------------------


def post_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in PeerPost.Kind.values else ""
    page = paginate(selectors.posts_list(kind=kind), request.GET.get("page"))
    return render(request, "library/post_list.html", {"page_obj": page, "kind": kind})


@login_required
def post_create(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(user=signed_in(request), **form.cleaned_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(post.get_absolute_url())
    return render(
        request,
        "library/simple_form.html",
        {"form": form, "heading": _("Publish a need or an offer"), "multipart": False},
    )


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        PeerPost.objects.select_related("organisation").prefetch_related("topics", "territories"),
        pk=pk,
    )
    practices: list[selectors.PracticeMatch] = []
    peers: list[selectors.PeerMatch] = []
    if post.kind == PeerPost.Kind.NEED:
        practices, peers = selectors.matches_for(user=request.user, post=post)
    can_contact = request.user.is_authenticated and request.user.organisation_memberships.exists()
    for peer in peers:
        peer.form = ContactForm(
            user=request.user, initial={"to_organisation": peer.organisation.pk}
        )
    return render(
        request,
        "library/post_detail.html",
        {"post": post, "practices": practices, "peers": peers, "can_contact": can_contact},
    )


@login_required
@require_POST
def contact_send(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(PeerPost, pk=pk)
    form = ContactForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.contact_send(user=signed_in(request), post=post, **form.cleaned_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Your request was sent. You will hear when they answer."))
    else:
        messages.error(request, _("Write a message and choose your organisation."))
    return redirect(post.get_absolute_url())


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    received, sent = selectors.contacts_for(request.user)
    return render(
        request,
        "library/contact_list.html",
        {
            "received": paginate(received, request.GET.get("page")),
            "sent": sent[:50],
        },
    )


@login_required
@require_POST
def contact_answer(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(ContactRequest, pk=pk)
    try:
        services.contact_answer(
            user=signed_in(request), contact=contact, accept=request.POST.get("answer") == "accept"
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("library:contact_list")
