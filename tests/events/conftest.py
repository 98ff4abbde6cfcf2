import pytest


@pytest.fixture(autouse=True)
def _mail_on_commit_at_once(request, monkeypatch):
    """Tests run inside a transaction that never commits: run on-commit work at once (mail is
    only ever queued after the write succeeded, so a refused write sends nothing)."""
    if "transactional_db" in request.fixturenames:
        return
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
