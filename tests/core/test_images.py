"""Cover images and portraits (cocity.core.images): resized on upload into WebP widths, upright,
without metadata, named from one random token, served with srcset to whom may see their page,
and a pattern drawn from the row when there is none."""

import io
import posixpath
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.test import Client
from PIL import Image

from cocity.core import images
from cocity.core.testing.files import upload
from cocity.network.models import Role, Space
from cocity.network.services import spaces as space_services
from tests.factories import SpaceFactory, SpaceMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = r"[A-Za-z0-9_-]{24}"


def _walk(folder: str) -> list[str]:
    if not default_storage.exists(folder or "."):
        return []
    folders, names = default_storage.listdir(folder)
    found = [posixpath.join(folder, name) for name in names]
    for sub in folders:
        found += _walk(posixpath.join(folder, sub))
    return found


def stored_files(settings=None) -> list[str]:
    """Every file in the (in-memory) media storage: nothing is left behind by a refusal."""
    return sorted(_walk(""))


@pytest.fixture(autouse=True)
def _empty_storage():
    for name in stored_files():
        default_storage.delete(name)
    yield


def photo(size=(2000, 1000), fmt="JPEG", *, exif: Image.Exif | None = None, mode="RGB") -> bytes:
    image = Image.new(mode, size, "green" if mode == "RGB" else (0, 128, 0, 128))
    image.paste("red", (0, 0, size[0] // 2, size[1] // 4))  # a corner to see which way is up
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def camera_exif(*, orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0132] = "2026:01:02 03:04:05"  # DateTime
    return exif


def _space_with_cover(content: bytes, *, visibility=Space.Visibility.PUBLIC, **kwargs) -> Space:
    return space_services.space_create(
        creator=UserFactory(),
        name="Yard keepers",
        kind=Space.Kind.LAB,
        visibility=visibility,
        join_policy=kwargs.pop("join_policy", Space.JoinPolicy.REQUEST),
        cover=upload("yard.jpg", content),
        cover_alt=kwargs.pop("cover_alt", "Children planting beans in the yard"),
        **kwargs,
    )


def test_a_cover_is_stored_as_webp_widths_named_from_one_token(settings):
    space = _space_with_cover(photo((2000, 1000)))
    assert re.fullmatch(rf"spaces/covers/\d{{4}}/{TOKEN}\.webp", space.cover.name)
    assert space.cover_variants == [[400, 200], [800, 400], [1280, 640]]
    stem = space.cover.name[: -len(".webp")]
    assert stored_files(settings) == sorted(
        [space.cover.name, f"{stem}.400w.webp", f"{stem}.800w.webp"]
    )
    for (width, height), name in zip(
        space.cover_variants,
        [f"{stem}.400w.webp", f"{stem}.800w.webp", space.cover.name],
        strict=True,
    ):
        with default_storage.open(name) as handle, Image.open(handle) as stored:
            assert stored.format == "WEBP"
            assert stored.size == (width, height)


def test_a_small_image_is_not_enlarged():
    space = _space_with_cover(photo((500, 250), "PNG"))
    assert space.cover_variants == [[400, 200], [500, 250]]


def test_the_camera_orientation_is_applied_and_metadata_removed(settings):
    # Stored sideways (wide) with "rotate 90° clockwise to view": upright it is tall.
    space = _space_with_cover(photo((1000, 500), exif=camera_exif(orientation=6)))
    assert space.cover_variants[-1] == [500, 1000]
    for name in stored_files(settings):
        with default_storage.open(name) as handle, Image.open(handle) as stored:
            assert not stored.getexif()
            assert "exif" not in stored.info
            assert "xmp" not in stored.info
            assert stored.height > stored.width
            assert stored.getpixel((stored.width - 5, 5))[0] > 200  # red corner, top right now
        with default_storage.open(name) as handle:
            raw = handle.read()
        assert b"Camera maker" not in raw
        assert b"2026:01:02" not in raw


def test_transparency_is_kept():
    space = _space_with_cover(photo((600, 300), "PNG", mode="RGBA"))
    with space.cover.open("rb") as handle, Image.open(handle) as stored:
        assert stored.mode == "RGBA"


def test_the_page_shows_srcset_sizes_and_dimensions():
    space = _space_with_cover(photo((2000, 1000)))
    html = Template('{% load images %}{% picture space.cover "card" %}').render(
        Context({"space": space})
    )
    stem = space.cover.name[: -len(".webp")]
    assert f"/media/{stem}.400w.webp 400w" in html
    assert f"/media/{stem}.800w.webp 800w" in html
    assert f"/media/{space.cover.name} 1280w" in html
    assert 'width="1280" height="640"' in html
    assert 'alt="Children planting beans in the yard"' in html
    assert 'loading="lazy"' in html
    assert 'decoding="async"' in html
    assert 'sizes="' in html
    header = Template('{% load images %}{% picture space.cover "header" %}').render(
        Context({"space": space})
    )
    assert 'loading="eager"' in header
    assert 'fetchpriority="high"' in header


def test_a_decorative_cover_has_an_empty_alt():
    space = _space_with_cover(photo(), cover_alt="", cover_decorative=True)
    assert space.cover_decorative
    html = Template("{% load images %}{% picture space.cover %}").render(Context({"space": space}))
    assert 'alt=""' in html


def test_without_a_cover_a_pattern_is_drawn_from_the_row_the_same_each_time():
    first, second = SpaceFactory(), SpaceFactory()
    render = Template("{% load images %}{% picture space.cover %}")
    one = render.render(Context({"space": first}))
    assert one.startswith("<svg")
    assert 'aria-hidden="true"' in one
    assert "<script" not in one and "<text" not in one
    assert one == render.render(Context({"space": Space.objects.get(pk=first.pk)}))
    assert one != render.render(Context({"space": second}))


def test_a_portrait_pattern_shows_the_initials():
    from cocity.events.models import Speaker
    from tests.factories import EventFactory

    speaker = Speaker.objects.create(event=EventFactory(), name="Ana Lima")
    html = Template('{% load images %}{% picture speaker.portrait "portrait" %}').render(
        Context({"speaker": speaker})
    )
    assert ">AL</text>" in html
    assert 'aria-hidden="true"' in html


def test_a_replaced_cover_leaves_no_old_file(settings, django_capture_on_commit_callbacks):
    space = _space_with_cover(photo())
    old = set(stored_files(settings))
    admin = space.memberships.get().user
    with django_capture_on_commit_callbacks(execute=True):
        space_services.space_update(
            space=space, actor=admin, cover=upload("new.png", photo(fmt="PNG")), cover_alt="New"
        )
    now = set(stored_files(settings))
    assert not old & now
    assert len(now) == 3
    with django_capture_on_commit_callbacks(execute=True):
        space_services.space_update(space=space, actor=admin, cover=False, cover_alt="")
    assert stored_files(settings) == []
    space.refresh_from_db()
    assert not space.cover and space.cover_variants == [] and space.cover_alt == ""


def test_a_cover_without_alt_text_is_refused_and_nothing_is_stored(settings):
    with pytest.raises(ValidationError) as caught:
        _space_with_cover(photo(), cover_alt="  ")
    assert "cover_alt" in caught.value.message_dict
    assert not Space.objects.exists()
    assert stored_files(settings) == []


def test_alt_text_without_an_image_is_refused():
    with pytest.raises(ValidationError) as caught:
        space_services.space_create(
            creator=UserFactory(), name="Yard", kind=Space.Kind.LAB, cover_alt="A yard"
        )
    assert "cover_alt" in caught.value.message_dict


def test_a_row_refused_for_another_reason_stores_no_picture(settings):
    with pytest.raises(ValidationError):
        _space_with_cover(
            photo(),
            visibility=Space.Visibility.MEMBERS,
            join_policy=Space.JoinPolicy.OPEN,  # not allowed with members only
        )
    assert stored_files(settings) == []


def test_a_members_only_spaces_cover_and_its_widths_are_for_members_only():
    space = _space_with_cover(photo(), visibility=Space.Visibility.MEMBERS)
    admin = space.memberships.get().user
    stem = space.cover.name[: -len(".webp")]
    urls = [space.cover.url, f"/media/{stem}.400w.webp", f"/media/{stem}.800w.webp"]
    stranger = Client()
    stranger.force_login(UserFactory())
    member = Client()
    member_user = UserFactory()
    SpaceMembershipFactory(space=space, user=member_user, role=Role.MEMBER)
    member.force_login(member_user)
    for url in urls:
        assert Client().get(url).status_code == 404
        assert stranger.get(url).status_code == 404
        response = member.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "private, no-store"
    assert member.get(f"/media/{stem}.640w.webp").status_code == 404  # a width never stored
    assert admin.has_perm("network.view_space", space)


def test_a_public_spaces_widths_are_served_to_visitors_as_images():
    space = _space_with_cover(photo())
    stem = space.cover.name[: -len(".webp")]
    response = Client().get(f"/media/{stem}.400w.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "public, max-age=3600"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as served:
        assert served.width == 400


def test_pattern_svg_is_deterministic_and_only_shapes():
    seed = images.pattern_seed("network.Space", 7, "Yard")
    svg = images.pattern_svg(seed)
    assert svg == images.pattern_svg(images.pattern_seed("network.Space", 7, "Yard"))
    assert re.fullmatch(r"(<(rect|circle) [^<>]*/>)+", svg)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Ana Lima", "AL"), ("élodie", "É"), ("", "?"), ("Jean-Paul Sartre", "JS"), ("  ", "?")],
)
def test_initials(name, expected):
    assert images.initials(name) == expected


def _edit_data(space: Space, **changes) -> dict:
    data = {
        "name": space.name,
        "kind": space.kind,
        "summary": space.summary,
        "description": space.description,
        "visibility": space.visibility,
        "join_policy": space.join_policy,
        "cover_alt": space.cover_alt,
    }
    data.update(changes)
    return data


def test_the_edit_form_keeps_the_cover_changes_its_alt_text_and_removes_it(
    django_capture_on_commit_callbacks,
):
    space = _space_with_cover(photo())
    admin = space.memberships.get().user
    client = Client()
    client.force_login(admin)
    url = f"/spaces/{space.slug}/edit/"
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "Children planting beans in the yard" in page  # the current alt text, to change
    name = space.cover.name
    response = client.post(url, _edit_data(space, cover_alt="Beans in June"))
    assert response.status_code == 302
    space.refresh_from_db()
    assert (space.cover.name, space.cover_alt) == (name, "Beans in June")
    response = client.post(url, _edit_data(space, cover_alt=""))  # kept cover, no text: refused
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it" in response.content.decode()
    space.refresh_from_db()
    assert space.cover_alt == "Beans in June"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _edit_data(space, cover_alt="", **{"cover-clear": "on"}))
    assert response.status_code == 302
    space.refresh_from_db()
    assert not space.cover and space.cover_variants == []
    assert stored_files() == []


def test_pages_show_the_cover_in_the_header_and_on_cards():
    space = _space_with_cover(photo())
    detail = Client().get(space.get_absolute_url()).content.decode()
    assert 'class="picture picture-header"' in detail
    assert 'fetchpriority="high"' in detail
    listing = Client().get("/spaces/").content.decode()
    assert 'class="picture picture-card"' in listing
    assert 'loading="lazy"' in listing
    other = SpaceFactory()
    listing = Client().get("/spaces/").content.decode()
    assert listing.count("picture-pattern") >= 1, other


def test_the_card_component_takes_the_picture_as_its_cover():
    space = _space_with_cover(photo())
    html = Template(
        '{% load images %}{% picture space.cover "card" as cover %}'
        '{% include "includes/components/card.html" with title=space.name url="/x/" cover=cover %}'
    ).render(Context({"space": space}))
    assert '<div class="card-cover"><img class="picture picture-card"' in html
    assert "&lt;img" not in html  # the markup is not escaped twice
