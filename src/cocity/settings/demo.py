"""The demo (``make demo``): the local settings, and every mail the demo sends both printed on the
console and kept in an outbox that ``/demo/outbox/`` lists (cocity.core.outbox). Links in mails
point to the address being served: ``make demo`` sets ``COCITY_BASE_URL`` from ``HOST`` and
``PORT``; mails sent while answering a request (sign-up, password reset) use its host."""

from .local import *  # noqa: F403
from .local import ALLOWED_HOSTS, DATA_DIR, env

ROOT_URLCONF = "cocity.urls_demo"
EMAIL_BACKEND = "cocity.core.outbox.OutboxBackend"
COCITY_DEMO_OUTBOX = env.str("COCITY_DEMO_OUTBOX", default=str(DATA_DIR / "demo-outbox.jsonl"))
_host = env.str("HOST", default="127.0.0.1")
_port = env.str("PORT", default="8000")
COCITY_BASE_URL = env.str("COCITY_BASE_URL", default=f"http://{_host}:{_port}")
if _host not in ALLOWED_HOSTS and _host not in ("0.0.0.0", "::"):  # noqa: S104 - a bind address
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _host]
