from django.http import Http404


def _todo(*args, **kwargs):  # placeholder, replaced by the real views
    raise Http404


organisation_list = organisation_create = organisation_detail = organisation_edit = _todo
organisation_members = organisation_leave = _todo
