import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand

from cocity.core.demo import network


class Command(BaseCommand):
    help = (
        "Fill the database with a believable demo network (idempotent: run it again to restore "
        "the demo without duplicating anything). Each app adds its part in `<app>/demo.py`, "
        "a `build() -> dict[str, int]` function run after the network exists."
    )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        counts = network.build_network()
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if not config.name.startswith("cocity.") or not importlib.util.find_spec(module_name):
                continue
            module = importlib.import_module(module_name)
            if hasattr(module, "build"):  # cocity.core.demo is the network's package
                counts.update(module.build())
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo network ready: {summary}."))
        self.stdout.write(
            f"Log in as amina@{network.DEMO_DOMAIN} (or sophie, lena, claire, ...) "
            f"with the password “{network.DEMO_PASSWORD}”; admin@{network.DEMO_DOMAIN} is staff."
        )
