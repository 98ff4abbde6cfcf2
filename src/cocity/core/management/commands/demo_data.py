import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from cocity.core.cache import cached_models, rows_changed
from cocity.core.demo import DEMO_DOMAIN, DEMO_PASSWORD, people_and_roles


class Command(BaseCommand):
    help = (
        "Fill the database with a believable demo network, every date counted from today "
        "(idempotent: run it again to restore the demo, re-anchored on the day, without "
        "duplicating anything). Each app adds its part in `<app>/demo.py`, a "
        "`build() -> dict[str, int]` function, run in the order of INSTALLED_APPS (the "
        "network's first)."
    )

    def handle(self, *args, **options) -> None:
        counts: dict[str, int] = {}
        # The demo's history is written through the services, which mail the people concerned:
        # nobody should receive mail about a history laid out in the past (nor find it in the
        # demo's outbox), so the build sends none. Nor does it queue a machine translation per
        # object it writes: `cocity translate-content` after it (`make demo` runs it) sends the
        # demo's texts to the backend in a few batches (7 Apertium runs for the whole demo into
        # French, where a task per object takes two per English object; docs/benchmarks.md).
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            COCITY_TRANSLATION_BACKEND="",
        ):
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if not config.name.startswith("cocity.") or not importlib.util.find_spec(
                    module_name
                ):
                    continue
                module = importlib.import_module(module_name)
                if hasattr(module, "build"):  # cocity.core.demo only holds shared helpers
                    counts.update(module.build())
        # The demo backdates and links rows with update(), which sends no signal: every cached
        # page it may have changed is made stale at once (cocity.core.cache, decision 0007).
        rows_changed(*cached_models())
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo network ready: {summary}."))
        self.stdout.write(
            f"Who does what (every password is “{DEMO_PASSWORD}”; admin@{DEMO_DOMAIN} is "
            "staff):\n" + people_and_roles()
        )
        machine = getattr(settings, "COCITY_DEMO_MACHINE_TRANSLATION", "")
        if machine:  # the demo settings say whether machine translation is on, and why not
            self.stdout.write(f"Machine translation: {machine}")
