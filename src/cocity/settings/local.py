"""Local development and the demo: the embedded default (SQLite, console mail)."""

from .base import *  # noqa: F403
from .base import _TASK_BACKENDS, env

DEBUG = env.bool("DEBUG", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The demo runs background work in the request so that one process is enough; set
# COCITY_TASKS=database and run `cocity db-worker` to try the real queue.
if not env.str("COCITY_TASKS", default=""):
    TASKS = {"default": {"BACKEND": _TASK_BACKENDS["immediate"], "QUEUES": ["default"]}}
