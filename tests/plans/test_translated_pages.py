"""A process, an idea, an action and the comments on an idea in the viewer's language: a
person's translation (a comment's is the machine's), the notice, the original a click away, and
the Translate links for organisers only."""

import pytest
from django.urls import reverse

from cocity.core.translations import save_translation, source_hash, store_machine_translations
from cocity.plans import services
from tests.factories import ActionFactory, IdeaFactory, UserFactory, process_in_phase
from tests.i18n import NOTICE

pytestmark = pytest.mark.django_db


def _translate_url(obj) -> str:
    return reverse("translations:edit", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def _french(client):
    client.cookies["cocity_language"] = "fr"
    return client


def test_process_idea_and_action_pages_in_french(client):
    process, _organiser = process_in_phase(
        "collect", title="Greener streets", description="Ideas for trees.", original_language="en"
    )
    save_translation(
        process, "fr", {"title": "Rues plus vertes", "description": "Des idées pour les arbres."}
    )
    idea = IdeaFactory(
        process=process, title="Plant limes", body="Lime trees give shade.", original_language="en"
    )
    save_translation(
        idea, "fr", {"title": "Planter des tilleuls", "body": "Les tilleuls rafraîchissent."}
    )
    action = ActionFactory(
        process=process, title="Tree plan", description="Plant 100 trees.", original_language="en"
    )
    save_translation(action, "fr", {"title": "Plan arbres", "description": "Planter 100 arbres."})
    french = _french(client)

    page = french.get(process.get_absolute_url()).content.decode()
    assert '<h1 lang="fr"><bdi>Rues plus vertes</bdi></h1>' in page
    assert "Des idées pour les arbres." in page and all(w in page for w in NOTICE)
    original = french.get(process.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en"><bdi>Greener streets</bdi></h1>' in original
    assert "Rues plus vertes" not in original

    page = french.get(idea.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Planter des tilleuls</h1>' in page
    assert "Les tilleuls rafraîchissent." in page and all(w in page for w in NOTICE)
    assert "Lime trees give shade." not in page
    original = french.get(idea.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en">Plant limes</h1>' in original and "Lime trees give shade." in original

    page = french.get(action.get_absolute_url()).content.decode()
    assert '<h1 lang="fr">Plan arbres</h1>' in page
    assert "Planter 100 arbres." in page and all(w in page for w in NOTICE)
    original = french.get(action.get_absolute_url() + "?original=1").content.decode()
    assert '<h1 lang="en">Tree plan</h1>' in original and "Plant 100 trees." in original


def test_a_comment_shows_its_machine_translation_labelled(client):
    process, _organiser = process_in_phase("collect", original_language="en")
    idea = IdeaFactory(process=process, original_language="en")
    comment = services.idea_comment(
        idea=idea, author=UserFactory(), body="I agree with this.", stance="for"
    )
    comment.original_language = "en"
    comment.save(update_fields=["original_language"])
    entry = {
        "text": "Je suis pour.",
        "hash": source_hash("I agree with this."),
        "backend": "echo",
        "via": "",
    }
    store_machine_translations(comment, "fr", {"body": entry})
    page = _french(client).get(idea.get_absolute_url()).content.decode()
    body = page.split(f'id="comment-{comment.pk}"', 1)[1]
    assert '<p lang="fr">Je suis pour.</p>' in body
    assert "Traduit automatiquement" in body and "Echo" in body
    original = client.get(idea.get_absolute_url() + "?original=1").content.decode()
    assert '<p lang="en">I agree with this.</p>' in original


def test_translate_links_for_organisers_only(client):
    process, organiser = process_in_phase("collect", original_language="en")
    idea = IdeaFactory(process=process, original_language="en")
    action = ActionFactory(process=process, original_language="en")
    client.force_login(idea.author)  # the author edits the idea; organisers translate it
    assert _translate_url(idea) not in client.get(idea.get_absolute_url()).content.decode()
    assert _translate_url(process) not in client.get(process.get_absolute_url()).content.decode()
    client.force_login(organiser)
    for obj in (process, idea, action):
        assert _translate_url(obj) in client.get(obj.get_absolute_url()).content.decode()
    phase = process.phases.get()
    assert _translate_url(phase) in client.get(process.get_absolute_url()).content.decode()
    for obj, name, args in (
        (process, "plans:process_edit", [process.slug]),
        (action, "plans:action_edit", [process.slug, action.pk]),
    ):
        form = client.get(reverse(name, args=args)).content.decode()
        assert _translate_url(obj) in form and "Translate this into other languages" in form
