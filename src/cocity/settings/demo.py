"""The demo (``make demo``): the local settings, and every mail the demo sends both printed on the
console and kept in an outbox that ``/demo/outbox/`` lists (cocity.core.outbox). Links in mails
point to the address being served: ``make demo`` sets ``COCITY_BASE_URL`` from ``HOST`` and
``PORT``; mails sent while answering a request (sign-up, password reset) use its host.

Machine translation of content with Apertium when it is installed here (offline, nothing leaves
the machine), else off; ``COCITY_TRANSLATION_BACKEND`` in the environment decides otherwise.
Every other background task runs in the request (``local``), but translations go to the
database queue (the ``translations`` task backend), which ``make demo`` runs with ``cocity
db-worker --backend translations`` beside ``runserver``: no request waits for Apertium."""

import shutil

from .local import *  # noqa: F403
from .local import ALLOWED_HOSTS, COCITY_APERTIUM_COMMAND, DATA_DIR, TASKS, env

ROOT_URLCONF = "cocity.urls_demo"
EMAIL_BACKEND = "cocity.core.outbox.OutboxBackend"
COCITY_DEMO_OUTBOX = env.str("COCITY_DEMO_OUTBOX", default=str(DATA_DIR / "demo-outbox.jsonl"))
_host = env.str("HOST", default="127.0.0.1")
_port = env.str("PORT", default="8000")
COCITY_BASE_URL = env.str("COCITY_BASE_URL", default=f"http://{_host}:{_port}")
if _host not in ALLOWED_HOSTS and _host not in ("0.0.0.0", "::"):  # noqa: S104 - a bind address
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _host]

_apertium = shutil.which((COCITY_APERTIUM_COMMAND.split() or ["apertium"])[0])
COCITY_TRANSLATION_BACKEND = env.str(
    "COCITY_TRANSLATION_BACKEND", default="apertium" if _apertium else ""
)
# Said by `cocity demo-data` (so `make demo` prints it before the server starts).
if COCITY_TRANSLATION_BACKEND == "apertium" and _apertium:
    COCITY_DEMO_MACHINE_TRANSLATION = (
        f"Apertium ({_apertium}), in the background: English <-> French through Spanish, "
        "English <-> Spanish; labelled 'machine translation' on the pages."
    )
elif COCITY_TRANSLATION_BACKEND:
    COCITY_DEMO_MACHINE_TRANSLATION = f"{COCITY_TRANSLATION_BACKEND} (COCITY_TRANSLATION_BACKEND)."
else:
    COCITY_DEMO_MACHINE_TRANSLATION = (
        "off: Apertium is not installed here (Debian: apt-get install apertium "
        "apertium-eng-spa apertium-fr-es, or make system-deps). People's translations show."
    )
TASKS = {
    **TASKS,
    "translations": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
