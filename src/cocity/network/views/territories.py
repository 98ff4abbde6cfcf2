from django.http import Http404


def _todo(*args, **kwargs):  # placeholder, replaced by the real views
    raise Http404


territory_list = territory_detail = topic_detail = _todo
