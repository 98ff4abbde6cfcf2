import pytest


@pytest.fixture(autouse=True)
def _on_commit_at_once(request, monkeypatch):
    """Run on-commit work (mail) at once inside the never-committing test transaction."""
    if "transactional_db" in request.fixturenames:
        return
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
