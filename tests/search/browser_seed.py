"""Data for the search browser test, written into its live server's database (run as a
subprocess, like ``tests/browser/seed.py``; the JSON on the last line is what it made):
a French item about "logement", an English one about "houses", both on one topic, and an
event about housing (found everywhere, never within the library).

    python -m tests.search.browser_seed
"""

import json
import os
import secrets
from typing import Any


def seed() -> dict[str, Any]:
    from cocity.library import services
    from cocity.network.models import Role
    from cocity.search import index
    from tests.factories import (
        EventFactory,
        SpaceFactory,
        SpaceMembershipFactory,
        TopicFactory,
        UserFactory,
    )

    tag = secrets.token_hex(3)
    space = SpaceFactory(name=f"Housing exchange {tag}", slug=f"housing-exchange-{tag}")
    author = UserFactory(display_name=f"Author {tag}", email=f"author-{tag}@example.org")
    editor = UserFactory(display_name=f"Editor {tag}", email=f"editor-{tag}@example.org")
    SpaceMembershipFactory(space=space, user=author, role=Role.MEMBER)
    SpaceMembershipFactory(space=space, user=editor, role=Role.EDITOR)
    topic = TopicFactory(name=f"Housing {tag}", slug=f"housing-{tag}")

    def publish(**fields: Any) -> Any:
        item = services.item_create(user=author, space=space, topics=[topic], **fields)
        services.item_submit(user=author, item=item)
        return services.item_publish(user=editor, item=item)

    french = publish(
        kind="case_study",
        title=f"Un toit pour chaque famille {tag}",
        summary="Une visite d'étude à Toulouse.",
        body="La ville accompagne les familles vers un logement durable.",
        language="fr",
    )
    english = publish(
        kind="policy_example",
        title=f"New homes for families {tag}",
        summary="A study visit in Ghent.",
        body="The city builds small houses with the families who will live in them.",
        language="en",
    )
    event = EventFactory(
        space=space, title=f"Housing dialogue {tag}", summary="Talking about housing together."
    )
    index.update(event)
    return {
        "tag": tag,
        "topic": topic.name,
        "french": french.title,
        "english": english.title,
        "event": event.title,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.test")
    import django

    django.setup()
    from tests.browser.seed import _start_factory_sequences_at_random

    _start_factory_sequences_at_random()  # the server's database may hold other seeds' rows
    print(json.dumps(seed()))
