"""The guided import's pages: upload the files, see their first rows and choose the columns,
follow the check and the import, read every problem, repair the boundaries or start again.
Thin: parse, ask ``rules``, call ``services`` (``import_upload``, ``import_configure``...)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cocity.accounts.types import signed_in
from cocity.core.access import login_or_forbidden
from cocity.core.forms import add_service_errors
from cocity.core.http import HtmxHttpRequest, vary_on_htmx
from cocity.network.models import Territory

from . import selectors, services
from .forms import ImportChoiceForm, ImportUploadForm
from .models import ImportJob

DELIMITERS = {
    ",": gettext_lazy("commas"),
    ";": gettext_lazy("semicolons"),
    "\t": gettext_lazy("tabs"),
    "|": gettext_lazy("vertical bars"),
}
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": gettext_lazy("UTF-8 with a byte-order mark"),
    "utf-16": "UTF-16",
    "cp1252": gettext_lazy("Windows-1252 (Western European)"),
    "iso8859-1": gettext_lazy("Latin-1 (ISO 8859-1)"),
    "latin-1": gettext_lazy("Latin-1 (ISO 8859-1)"),
    "iso8859-15": gettext_lazy("Latin-9 (ISO 8859-15)"),
    "mac-roman": gettext_lazy("Mac OS Roman"),
}
LAYER_KINDS = {
    "geojson": "GeoJSON",
    "gpkg": "GeoPackage",
    "shp.zip": gettext_lazy("zipped Shapefile"),
}


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: the files. Read far enough to show them; a file that cannot be read is refused
    here with its problems, and nothing is kept."""
    city = get_object_or_404(Territory, code=code.upper(), kind="city")
    if not request.user.has_perm("insights.add_dataset", city):
        return login_or_forbidden(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_upload(
                city=city,
                user=signed_in(request),
                counts=form.cleaned_data["counts"],
                boundaries=form.cleaned_data.get("boundaries") or None,
            )
        except ValidationError as error:
            add_service_errors(form, error, unnamed="counts")
        else:
            return redirect("insights:import_detail", pk=job.pk)
    context = {
        "form": form,
        "city": city,
        "templates": selectors.city_template_kinds(city),
        "drafts": selectors.import_drafts(city, request.user),
    }
    return render(request, "insights/import_upload.html", context)


def _job_or_forbidden(
    request: HttpRequest, pk: int
) -> tuple[ImportJob | None, HttpResponse | None]:
    job = get_object_or_404(
        ImportJob.objects.select_related("city", "dataset"), pk=pk, city__isnull=False
    )
    if not request.user.has_perm("insights.add_dataset", job.city):
        return None, login_or_forbidden(request)
    return job, None


def _choice_form(job: ImportJob, data: Any = None, **kwargs: Any) -> ImportChoiceForm:
    table = job.inspected.get("table") or {}
    layer = job.inspected.get("layer") or {}
    columns = list(table.get("columns") or [])
    assert job.city is not None  # noqa: S101 (checked by _job_or_forbidden)
    return ImportChoiceForm(
        data,
        columns=columns,
        properties=list(layer.get("columns") or []),
        geographies=[
            (
                str(g.pk),
                _("Areas “%(name)s”, version %(version)s") % {"name": g.name, "version": g.version},
            )
            for g in selectors.city_geographies(job.city)
        ],
        **kwargs,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Steps 2 to 4 on one address: the preview and the columns while the import waits for
    them (or failed: its problems above the same form), then its progress, then the data set."""
    job, refused = _job_or_forbidden(request, pk)
    if job is None:
        return refused  # type: ignore[return-value]
    if job.status == ImportJob.Status.DONE and job.dataset_id:
        if request.htmx:  # the progress fragment's last poll: the whole page goes on
            response = HttpResponse(status=204)
            response["HX-Redirect"] = job.dataset.get_absolute_url()  # type: ignore[union-attr]
            return vary_on_htmx(response)
        return vary_on_htmx(redirect(job.dataset.get_absolute_url()))  # type: ignore[union-attr]
    selectors.import_live(job)
    if request.htmx and not job.editable:
        return vary_on_htmx(render(request, "insights/partials/import_progress.html", {"job": job}))
    replaces = None
    remembered = False
    if request.method == "POST" and job.editable:
        form = _choice_form(job, request.POST)
        if form.is_valid():
            try:
                services.import_configure(
                    job=job,
                    choice=form.choice(),
                    replace=bool(form.cleaned_data.get("replace")),
                    repair=request.POST.get("repair") == "1",
                )
            except services.ReplaceNeeded as needed:
                replaces = needed.dataset
                data = request.POST.copy()
                data["replace"] = "1"
                form = _choice_form(job, data)
                form.is_valid()
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                job.refresh_from_db()
                if job.status == ImportJob.Status.DONE:  # a small file, or an immediate queue
                    messages.success(request, _("The data set is imported."))
                else:
                    messages.success(
                        request,
                        _("The files are being checked; this page shows how far it has gone."),
                    )
                return redirect("insights:import_detail", pk=job.pk)
    else:
        # the person's own last choice (a failed import), else the one remembered for the
        # source or guessed from the columns
        start = job.spec or services.import_choice_initial(job)
        remembered = not job.spec and bool(start.get("remembered"))
        initial = ImportChoiceForm.initial_from(
            start, list((job.inspected.get("table") or {}).get("columns") or [])
        )
        form = _choice_form(job, initial=initial)
    table = job.inspected.get("table") or {}
    layer = job.inspected.get("layer") or {}
    context = {
        "delimiter_label": DELIMITERS.get(table.get("delimiter") or "", table.get("delimiter")),
        "encoding_label": ENCODINGS.get(table.get("encoding") or "", table.get("encoding")),
        "layer_kind": LAYER_KINDS.get(layer.get("kind") or "", layer.get("kind")),
        "job": job,
        "city": job.city,
        "form": form,
        "replaces": replaces,
        "table": table,
        "layer": layer,
        "remembered": remembered,
    }
    return vary_on_htmx(render(request, "insights/import_detail.html", context))


@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    job, refused = _job_or_forbidden(request, pk)
    if job is None:
        return refused  # type: ignore[return-value]
    assert job.city is not None  # noqa: S101
    code = job.city.code
    try:
        services.import_discard(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("insights:import_detail", pk=pk)
    messages.success(request, _("The upload is discarded; nothing was imported."))
    return redirect("insights:city", code=code)
