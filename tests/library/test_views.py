import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cocity.library.models import ItemAttachment, LibraryItem
from cocity.network.models import Space
from cocity.search.models import Document

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def _form(space, **extra):  # type: ignore[no-untyped-def]
    data = {
        "space": space.pk, "kind": "case_study", "title": "Housing first in Lyon",
        "summary": "Summary", "body": "Logement d'abord.", "language": "fr",
        "published_on": "2024-05-01", "figures": "People reached | 1 200 | people",
        "links": "https://example.org | Source",
    }  # fmt: skip
    data.update(extra)
    return data


def test_create_submit_publish_through_pages(client, editorial, mailoutbox):
    space, author, editor = editorial
    client.force_login(author)
    response = client.post(reverse("library:item_create"), _form(space))
    item = LibraryItem.objects.get()
    assert response.status_code == 302
    assert item.figures.get().value == 1200
    client.post(reverse("library:item_submit", args=[item.pk]))
    client.force_login(editor)
    client.post(reverse("library:item_review", args=[item.pk]), {"decision": "publish"})
    item.refresh_from_db()
    assert item.status == "published"
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200 and b"Logement" in page.content
    found = client.get(reverse("search:search"), {"q": "logement"})
    assert b"Housing first in Lyon" in found.content
    feed = client.get(reverse("library:feed_kind", args=["case_study"]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert b"Housing first in Lyon" in feed.content


@pytest.mark.parametrize(
    ("extra", "field_error"),
    [
        ({"published_on": "31-31-2024"}, b"Enter a valid date"),
        ({"figures": "Budget | lots | EUR"}, b"with a number as value"),
        ({"links": "javascript:alert(1) | x"}, b"is not a web address"),
    ],
)
def test_bad_input_writes_nothing(client, editorial, extra, field_error):
    space, author, _editor = editorial
    client.force_login(author)
    response = client.post(reverse("library:item_create"), _form(space, **extra))
    assert response.status_code == 200 and field_error in response.content
    assert not LibraryItem.objects.exists()


def test_cover_without_alt_is_refused(client, editorial):
    space, author, _editor = editorial
    client.force_login(author)
    response = client.post(reverse("library:item_create"), _form(space, cover=_png()))
    assert response.status_code == 200
    assert b"Describe the cover image" in response.content
    assert not LibraryItem.objects.exists()


def test_executable_renamed_pdf_page(client, editorial, library_item_factory):
    space, author, _editor = editorial
    item = library_item_factory(space=space, author=author)
    client.force_login(author)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    response = client.post(reverse("library:attachment_add", args=[item.pk]), {"file": fake})
    assert response.status_code == 200 and b"not a PDF" in response.content
    assert not ItemAttachment.objects.exists()


@pytest.mark.parametrize("query", ["a" * 10_000, '((( AND OR NOT "*:^ -' * 200])
def test_hostile_search_page(client, query):
    response = client.get(reverse("search:search"), {"q": query})
    assert response.status_code == 200


def test_members_only_item_is_404(client, space_factory, library_item_factory, user_factory):
    secret = space_factory(
        visibility=Space.Visibility.MEMBERS, join_policy=Space.JoinPolicy.INVITATION
    )
    item = library_item_factory(space=secret, status="published")
    client.force_login(user_factory())
    assert client.get(item.get_absolute_url()).status_code == 404
    assert item.title.encode() not in client.get(reverse("library:item_list")).content
    assert client.get(reverse("library:feed_space", args=[secret.slug])).status_code == 404
    assert not Document.objects.exists()


def test_list_query_count(
    assert_same_query_count, space_factory, library_item_factory, topic_factory
):
    space = space_factory()
    topic = topic_factory()

    def make(n):  # type: ignore[no-untyped-def]
        for _ in range(n):
            library_item_factory(space=space, status="published").topics.add(topic)

    assert_same_query_count(reverse("library:item_list"), make)


def test_search_query_count(assert_same_query_count, editorial, publish):
    space, author, editor = editorial

    def make(n):  # type: ignore[no-untyped-def]
        for i in range(n):
            publish(author=author, editor=editor, space=space, title=f"Garden {i}", body="garden")

    assert_same_query_count(reverse("search:search") + "?q=garden", make, many=12)


def test_edit_translate_and_document_pages(client, editorial, library_item_factory, topic_factory):
    space, author, editor = editorial
    item = library_item_factory(space=space, author=author)
    client.force_login(author)
    for name in ("library:item_edit", "library:item_translate", "library:attachment_add"):
        assert client.get(reverse(name, args=[item.pk])).status_code == 200
    data = _form(space, title="Renamed practice")
    data.pop("space")
    response = client.post(reverse("library:item_edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Renamed practice" and item.links.get().url == "https://example.org"
    client.force_login(editor)
    assert client.get(reverse("library:item_edit", args=[item.pk])).status_code == 200
    outsider_item = library_item_factory()
    assert client.get(reverse("library:item_edit", args=[outsider_item.pk])).status_code == 404


def test_space_and_topic_feeds(client, editorial, publish, topic_factory):
    space, author, editor = editorial
    topic = topic_factory()
    publish(author=author, editor=editor, space=space, title="Fed item", topics=[topic])
    for url in (
        reverse("library:feed_space", args=[space.slug]),
        reverse("library:feed_topic", args=[topic.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and b"Fed item" in response.content
    assert client.get(reverse("library:feed_kind", args=["nonsense"])).status_code == 404


def test_peer_pages(client, user_factory, organisation_factory, organisation_membership_factory):
    from cocity.network.models import Role

    officer = user_factory()
    organisation = organisation_factory()
    organisation_membership_factory(organisation=organisation, user=officer, role=Role.EDITOR)
    client.force_login(officer)
    response = client.post(
        reverse("library:post_create"),
        {"organisation": organisation.pk, "kind": "need", "text": "Roma housing?"},
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("library:post_list")).status_code == 200
    outsider = user_factory()
    client.force_login(outsider)
    response = client.post(
        reverse("library:post_create"),
        {"organisation": organisation.pk, "kind": "need", "text": "Not mine"},
    )
    assert response.status_code == 200  # not one of their organisations: a form error


def test_a_review_comment_too_long_decides_nothing(client, editorial):
    space, author, editor = editorial
    client.force_login(author)
    client.post(reverse("library:item_create"), _form(space))
    item = LibraryItem.objects.get()
    client.post(reverse("library:item_submit", args=[item.pk]))
    client.force_login(editor)
    response = client.post(
        reverse("library:item_review", args=[item.pk]),
        {"decision": "publish", "comment": "x" * 5001},
        follow=True,
    )
    item.refresh_from_db()
    assert item.status == LibraryItem.Status.IN_REVIEW
    assert b"at most 5000 characters" in response.content
