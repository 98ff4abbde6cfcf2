from django.http import Http404


def _todo(*args, **kwargs):  # placeholder, replaced by the real views
    raise Http404


space_list = space_create = space_detail = space_edit = space_join = space_leave = _todo
space_members = join_request_decide = invitation_create = invitation_respond = _todo
