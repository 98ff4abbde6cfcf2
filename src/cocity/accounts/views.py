from django.http import Http404


def _todo(*args, **kwargs):  # placeholder, replaced by the real views
    raise Http404


me = export_data = delete_account = profile = _todo
