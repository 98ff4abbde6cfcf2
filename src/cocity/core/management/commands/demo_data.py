from django.core.management.base import BaseCommand

from cocity.core.demo import network


class Command(BaseCommand):
    help = (
        "Fill the database with a believable demo network (idempotent: run it again to restore "
        "the demo without duplicating anything)."
    )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        counts = network.build_network()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo network ready: {summary}."))
        self.stdout.write(
            f"Log in as amina@{network.DEMO_DOMAIN} (or sophie, lena, claire, ...) "
            f"with the password “{network.DEMO_PASSWORD}”; admin@{network.DEMO_DOMAIN} is staff."
        )
