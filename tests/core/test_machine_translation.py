"""Machine translation backends (cocity.core.machine_translation): the echo backend, Apertium run
for real (skipped when it is not installed), and LibreTranslate and DeepL against local fake
servers that speak their documented APIs. Nothing here reaches an outside address (conftest)."""

import json
import shutil
import socket
import stat
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from cocity.core import machine_translation as mt
from cocity.core.machine_translation import (
    ApertiumBackend,
    DeepLBackend,
    EchoBackend,
    LibreTranslateBackend,
    Route,
    TranslationUnavailable,
    detect_language,
    get_backend,
    parse_apertium_modes,
)

APERTIUM = shutil.which("apertium")
needs_apertium = pytest.mark.skipif(
    APERTIUM is None,
    reason="Apertium is not installed (Debian: apertium apertium-eng-spa apertium-fr-es)",
)

# ---------------------------------------------------------------------------------------------
# A local fake server: one handler function per test, run in a thread on a random port.


class FakeServer:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.respond = None  # (handler, method, path, query, body) -> (status, body bytes|obj)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _handle(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                fake.requests.append(
                    {
                        "method": method,
                        "path": parts.path,
                        "query": parse_qs(parts.query),
                        "headers": dict(self.headers),
                        "body": body,
                    }
                )
                status, answer = fake.respond(self, method, parts.path, parse_qs(parts.query), body)
                if status is None:  # the handler answered itself
                    return
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    fake = FakeServer()
    yield fake
    fake.close()


def sleeping(seconds: float, then=(200, [])):
    def respond(handler, method, path, query, body):
        time.sleep(seconds)
        return then

    return respond


def dripping(handler, method, path, query, body):
    """Headers at once, then one byte of a long body every 0.1 s: only a deadline for the whole
    answer stops this (a timeout per read never fires)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    try:
        for _ in range(100):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass
    return None, None


def free_port() -> int:
    """A port nothing listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_unavailable_quickly(call, limit: float, *words: str) -> TranslationUnavailable:
    started = time.monotonic()
    with pytest.raises(TranslationUnavailable) as caught:
        call()
    assert time.monotonic() - started < limit
    message = str(caught.value)
    for word in words:
        assert word in message, message
    return caught.value


# ---------------------------------------------------------------------------------------------
# Settings


def test_machine_translation_is_off_by_default(settings):
    settings.COCITY_TRANSLATION_BACKEND = ""
    assert get_backend() is None


def test_the_backend_of_the_settings_is_kept_while_they_stay_the_same(settings, server):
    settings.COCITY_TRANSLATION_BACKEND = "libretranslate"
    settings.COCITY_LIBRETRANSLATE_URL = server.url
    backend = get_backend()
    assert isinstance(backend, LibreTranslateBackend)
    assert get_backend() is backend  # its cached pair list with it
    settings.COCITY_TRANSLATION_TIMEOUT = 3
    assert get_backend() is not backend
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    assert isinstance(get_backend(), EchoBackend)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"COCITY_TRANSLATION_BACKEND": "google"}, ["'google'", "echo, apertium"]),
        (
            {"COCITY_TRANSLATION_BACKEND": "libretranslate", "COCITY_LIBRETRANSLATE_URL": ""},
            ["COCITY_LIBRETRANSLATE_URL"],
        ),
        (
            {
                "COCITY_TRANSLATION_BACKEND": "libretranslate",
                "COCITY_LIBRETRANSLATE_URL": "ftp://translate.example.org",
            },
            ["http:// or https://"],
        ),
        (
            {"COCITY_TRANSLATION_BACKEND": "deepl", "COCITY_DEEPL_API_KEY": ""},
            ["COCITY_DEEPL_API_KEY"],
        ),
        (
            {
                "COCITY_TRANSLATION_BACKEND": "deepl",
                "COCITY_DEEPL_API_KEY": "k",
                "COCITY_DEEPL_URL": "https://api.deepl.com:port",
            },
            ["port"],
        ),
        ({"COCITY_TRANSLATION_BACKEND": "echo", "COCITY_TRANSLATION_TIMEOUT": 0}, ["above 0"]),
        ({"COCITY_TRANSLATION_BACKEND": "apertium", "COCITY_APERTIUM_COMMAND": " "}, ["empty"]),
    ],
)
def test_a_wrong_setting_is_a_clear_error_at_first_use(settings, changes, words):
    for name, value in changes.items():
        setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured) as caught:
        get_backend()
    for word in words:
        assert word in str(caught.value)


def test_the_message_of_a_failure_is_read_in_the_active_language():
    error = TranslationUnavailable(
        mt._("%(backend)s did not answer within %(seconds)s seconds."), backend="X", seconds="2"
    )
    assert str(error) == "X did not answer within 2 seconds."
    assert error.params == {"backend": "X", "seconds": "2"}


# ---------------------------------------------------------------------------------------------
# Echo


def test_echo_prefixes_each_text_and_keeps_blank_ones():
    echo = EchoBackend()
    assert echo.route("en", "fr") == Route("en", "fr")
    assert echo.translate(["Hello", "", "  ", "Bye\nnow"], "en", "fr") == [
        "[fr] Hello",
        "",
        "  ",
        "[fr] Bye\nnow",
    ]
    assert echo.translate([], "en", "fr") == []


@pytest.mark.parametrize(("source", "target"), [("en", "en"), ("en", "xx"), ("zz", "fr")])
def test_echo_refuses_a_pair_that_is_not_two_of_our_languages(source, target):
    echo = EchoBackend()
    assert echo.route(source, target) is None
    with pytest.raises(TranslationUnavailable, match="does not translate"):
        echo.translate(["Hello"], source, target)


def test_a_backend_answering_too_few_translations_is_unavailable():
    class Short(EchoBackend):
        def _translate(self, texts, route):
            return super()._translate(texts, route)[:-1]

    with pytest.raises(TranslationUnavailable, match=r"translations \(1\) than texts sent \(2\)"):
        Short().translate(["a b", "c d"], "en", "fr")


# ---------------------------------------------------------------------------------------------
# LibreTranslate (https://libretranslate.com/docs: POST /translate, GET /languages)

LIBRE_LANGUAGES = [
    {"code": "en", "name": "English", "targets": ["ar", "es", "fr"]},
    {"code": "fr", "name": "French", "targets": ["en", "es"]},
]


def libretranslate(key: str = "secret"):
    def respond(handler, method, path, query, body):
        if method == "GET" and path == "/lt/languages":
            return 200, LIBRE_LANGUAGES
        if method == "POST" and path == "/lt/translate":
            if body.get("api_key") != key:
                return 403, {"error": "Invalid API key"}
            assert body["format"] == "text"
            return 200, {"translatedText": [f"{body['target']}:{q.upper()}" for q in body["q"]]}
        return 404, {"error": "Not Found"}

    return respond


@pytest.fixture
def libre(server):
    server.respond = libretranslate()
    return LibreTranslateBackend(server.url + "/lt/", api_key="secret", timeout=5)


def test_libretranslate_translates_a_batch_in_one_request(server, libre):
    texts = ["Hello", "", "The **city** council\n- meets"]
    assert libre.translate(texts, "en", "fr") == [
        "fr:HELLO",
        "",
        "fr:THE **CITY** COUNCIL\n- MEETS",
    ]
    posts = [r for r in server.requests if r["method"] == "POST"]
    assert len(posts) == 1
    assert posts[0]["body"] == {
        "q": ["Hello", "The **city** council\n- meets"],
        "source": "en",
        "target": "fr",
        "format": "text",
        "api_key": "secret",
    }
    assert posts[0]["headers"]["Content-Type"] == "application/json"


def test_libretranslate_pairs_come_from_its_language_list_asked_once(server, libre):
    assert libre.route("en", "fr") == Route("en", "fr")
    assert libre.route("fr", "es") == Route("fr", "es")
    assert libre.route("fr", "ar") is None
    assert libre.route("en", "en") is None
    assert [r["path"] for r in server.requests] == ["/lt/languages"]


def test_libretranslate_without_a_key_sends_none(server):
    server.respond = libretranslate(key=None)
    backend = LibreTranslateBackend(server.url + "/lt", timeout=5)
    assert backend.translate(["Hi"], "en", "es") == ["es:HI"]
    assert "api_key" not in server.requests[-1]["body"]


def test_libretranslate_a_refused_key_says_so(server):
    server.respond = libretranslate(key="another")
    backend = LibreTranslateBackend(server.url + "/lt", api_key="secret", timeout=5)
    assert_unavailable_quickly(
        lambda: backend.translate(["Hi"], "en", "fr"), 5, "LibreTranslate", "API key", "403"
    )


def test_libretranslate_an_unsupported_pair_sends_nothing(server, libre):
    with pytest.raises(TranslationUnavailable, match="from French into Arabic"):
        libre.translate(["Bonjour"], "fr", "ar")
    assert all(r["method"] == "GET" for r in server.requests)


def test_libretranslate_that_does_not_answer_in_time(server):
    backend = LibreTranslateBackend(server.url, timeout=0.3)
    server.respond = sleeping(3, then=(200, LIBRE_LANGUAGES))
    assert_unavailable_quickly(lambda: backend.route("en", "fr"), 2, "within 0.3 seconds")


def test_libretranslate_a_slow_trickle_is_stopped_at_the_deadline(server):
    backend = LibreTranslateBackend(server.url, timeout=0.5)
    server.respond = dripping
    assert_unavailable_quickly(lambda: backend.route("en", "fr"), 2, "within 0.5 seconds")


def test_libretranslate_a_server_error_is_reported_with_its_message(server, libre):
    libre.route("en", "fr")  # the pair list is kept
    server.respond = lambda *a: (500, {"error": "Cannot translate text: out of memory"})
    assert_unavailable_quickly(
        lambda: libre.translate(["Hi"], "en", "fr"), 5, "HTTP 500", "out of memory"
    )


def test_libretranslate_a_server_error_page_that_is_not_json(server, libre):
    libre.route("en", "fr")
    server.respond = lambda *a: (502, b"<html><h1>502 Bad Gateway</h1></html>")
    assert_unavailable_quickly(lambda: libre.translate(["Hi"], "en", "fr"), 5, "HTTP 502", "Bad")


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (b"<html>Welcome to nginx</html>", ["not JSON"]),
        (b'{"translatedText": "one string"}', ["unexpected form", "translatedText"]),
        (b'{"translatedText": [1, 2]}', ["unexpected form"]),
        (b'{"translatedText": ["only one"]}', ["translations (1) than texts sent (2)"]),
        (b'{"translatedText": ["one", "two", "three"]}', ["translations (3) than texts sent (2)"]),
        (b"[]", ["unexpected form"]),
    ],
)
def test_libretranslate_garbage_is_unavailable(server, libre, answer, words):
    libre.route("en", "fr")
    server.respond = lambda *a: (200, answer)
    assert_unavailable_quickly(lambda: libre.translate(["Hi", "Bye"], "en", "fr"), 5, *words)


def test_libretranslate_a_garbage_language_list(server):
    backend = LibreTranslateBackend(server.url, timeout=5)
    server.respond = lambda *a: (200, {"languages": "en"})
    assert_unavailable_quickly(lambda: backend.route("en", "fr"), 5, "unexpected form")
    # Not kept: the next question asks again, and gets a good list.
    server.respond = lambda *a: (200, [{"code": "en", "targets": ["fr"]}])
    assert backend.route("en", "fr") == Route("en", "fr")


def test_libretranslate_refused_connection():
    backend = LibreTranslateBackend(f"http://127.0.0.1:{free_port()}", timeout=5)
    assert_unavailable_quickly(lambda: backend.route("en", "fr"), 5, "cannot be reached")


# ---------------------------------------------------------------------------------------------
# DeepL (https://developers.deepl.com/docs/api-reference: POST /v2/translate, GET /v2/languages)

DEEPL_SOURCES = [{"language": code, "name": code} for code in ("AR", "DE", "EN", "FR", "PT")]
DEEPL_TARGETS = [
    {"language": code, "name": code, "supports_formality": False}
    for code in ("AR", "DE", "EN-GB", "EN-US", "FR", "PT-BR", "PT-PT")
]


def deepl(key: str = "secret:fx"):
    def respond(handler, method, path, query, body):
        if handler.headers.get("Authorization") != f"DeepL-Auth-Key {key}":
            return 403, {"message": "Forbidden"}
        if method == "GET" and path == "/v2/languages":
            return 200, DEEPL_TARGETS if query.get("type") == ["target"] else DEEPL_SOURCES
        if method == "POST" and path == "/v2/translate":
            assert len(body["text"]) <= 50
            return 200, {
                "translations": [
                    {
                        "detected_source_language": body["source_lang"],
                        "text": f"{body['target_lang']}:{t}",
                    }
                    for t in body["text"]
                ]
            }
        return 404, {"message": "Not found"}

    return respond


@pytest.fixture
def deepl_backend(server):
    server.respond = deepl()
    return DeepLBackend(server.url, api_key="secret:fx", timeout=5)


def test_deepl_translates_a_batch_with_its_key_in_the_header(server, deepl_backend):
    assert deepl_backend.translate(["Hello", "", "World"], "en", "fr") == [
        "FR:Hello",
        "",
        "FR:World",
    ]
    post = next(r for r in server.requests if r["method"] == "POST")
    assert post["path"] == "/v2/translate"
    assert post["body"] == {"text": ["Hello", "World"], "source_lang": "EN", "target_lang": "FR"}
    assert post["headers"]["Authorization"] == "DeepL-Auth-Key secret:fx"


def test_deepl_target_codes_are_mapped_to_its_regional_ones(server, deepl_backend):
    assert deepl_backend.translate(["Bonjour"], "fr", "en") == ["EN-GB:Bonjour"]
    assert deepl_backend.translate(["Bonjour"], "fr", "pt") == ["PT-PT:Bonjour"]
    assert deepl_backend.route("fr", "ar") == Route("fr", "ar")
    assert deepl_backend.route("fr", "wo") is None  # DeepL has no Wolof
    assert deepl_backend.route("el", "fr") is None  # not a source language of this server
    languages = [r for r in server.requests if r["path"] == "/v2/languages"]
    assert sorted(r["query"]["type"][0] for r in languages) == ["source", "target"]  # once each


def test_deepl_more_than_fifty_texts_go_in_several_requests(server, deepl_backend):
    texts = [f"Text {i}" for i in range(120)]
    assert deepl_backend.translate(texts, "en", "de") == [f"DE:Text {i}" for i in range(120)]
    assert [len(r["body"]["text"]) for r in server.requests if r["method"] == "POST"] == [
        50,
        50,
        20,
    ]


def test_deepl_a_refused_key(server):
    server.respond = deepl(key="the right one")
    backend = DeepLBackend(server.url, api_key="secret:fx", timeout=5)
    assert_unavailable_quickly(lambda: backend.route("en", "fr"), 5, "DeepL", "API key", "403")


def test_deepl_a_used_up_quota(server, deepl_backend):
    deepl_backend.route("en", "fr")
    server.respond = lambda *a: (456, {"message": "Quota exceeded"})
    assert_unavailable_quickly(
        lambda: deepl_backend.translate(["Hi"], "en", "fr"), 5, "HTTP 456", "quota"
    )


def test_deepl_that_does_not_answer_in_time(server, deepl_backend):
    deepl_backend.route("en", "fr")
    deepl_backend.timeout = 0.3
    server.respond = sleeping(3)
    assert_unavailable_quickly(
        lambda: deepl_backend.translate(["Hi"], "en", "fr"), 2, "DeepL", "within 0.3 seconds"
    )


def test_deepl_a_server_error(server, deepl_backend):
    deepl_backend.route("en", "fr")
    server.respond = lambda *a: (500, {"message": "Internal error"})
    assert_unavailable_quickly(
        lambda: deepl_backend.translate(["Hi"], "en", "fr"), 5, "HTTP 500", "Internal error"
    )


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (b"Service Unavailable", ["not JSON"]),
        (b'{"translations": {"text": "x"}}', ["unexpected form"]),
        (
            b'{"translations": [{"text": "only one"}]}',
            ["translations (1) than texts sent (2)"],
        ),
        (b'{"translations": [{"text": null}, {"text": "b"}]}', ["unexpected form"]),
    ],
)
def test_deepl_garbage_is_unavailable(server, deepl_backend, answer, words):
    deepl_backend.route("en", "fr")
    server.respond = lambda *a: (200, answer)
    assert_unavailable_quickly(
        lambda: deepl_backend.translate(["Hi", "Bye"], "en", "fr"), 5, *words
    )


def test_deepl_refused_connection():
    backend = DeepLBackend(f"http://127.0.0.1:{free_port()}", api_key="k", timeout=5)
    assert_unavailable_quickly(
        lambda: backend.translate(["Hi"], "en", "fr"), 5, "cannot be reached"
    )


# ---------------------------------------------------------------------------------------------
# Apertium: its listing, then real runs.


def test_apertium_modes_are_read_in_our_codes_without_variants():
    listing = "  eco-es-fr\n  eco-fr-es\n  eng-spa\n  es-fr\n  fr-es\n  spa-eng\n  spa-eng_US\n"
    assert parse_apertium_modes(listing) == {
        ("en", "es"): "eng-spa",
        ("es", "fr"): "es-fr",
        ("fr", "es"): "fr-es",
        ("es", "en"): "spa-eng",
    }


@needs_apertium
def test_apertium_translates_english_into_spanish_directly():
    apertium = ApertiumBackend(timeout=30)
    assert apertium.route("en", "es") == Route("en", "es")
    [text] = apertium.translate(["The city council meets on Tuesday."], "en", "es")
    assert "martes" in text and "Tuesday" not in text


@needs_apertium
def test_apertium_translates_english_into_french_through_spanish_and_says_so():
    apertium = ApertiumBackend(timeout=30)
    assert apertium.route("en", "fr") == Route("en", "fr", via="es")
    assert apertium.route("fr", "en") == Route("fr", "en", via="es")
    [text] = apertium.translate(["The new plan of the city."], "en", "fr")
    assert "plan" in text and "ville" in text and "ciudad" not in text


@needs_apertium
def test_apertium_has_no_english_german_pair():
    apertium = ApertiumBackend(timeout=30)
    assert apertium.route("en", "de") is None
    assert apertium.route("en", "en") is None
    with pytest.raises(TranslationUnavailable, match="does not translate from English into German"):
        apertium.translate(["Hello"], "en", "de")


@needs_apertium
@pytest.mark.parametrize("target", ["es", "fr"])
def test_apertium_keeps_the_texts_of_a_batch_and_their_markdown_apart(target):
    texts = [
        "Hello **world**, this is a [link](https://example.org/the-plan).",
        "",
        "# The new plan\n\n- one house\n- two gardens\n  - a small street\n\n> A quote.",
        "1. First *point*\r\n2. Second point",
        "Tell <script>alert(1)</script> & more",
        "The city council met on Tuesday.",
    ]
    out = ApertiumBackend(timeout=30).translate(texts, "en", target)
    assert len(out) == len(texts)
    assert out[1] == ""
    assert "**" in out[0] and "](https://example.org/the-plan)." in out[0]
    lines = out[2].split("\n")
    assert len(lines) == 7 and lines[1] == lines[5] == ""
    leads = ["# ", "", "- ", "- ", "  - ", "", "> "]
    assert all(line.startswith(lead) for line, lead in zip(lines, leads, strict=True)), lines
    assert lines[2][2:3].isalpha() and lines[4][4:5].isalpha()  # one blank after the marker
    assert all(word not in out[2] for word in ("house", "gardens", "quote"))
    assert out[3].startswith("1. ") and "\r\n2. " in out[3] and "*" in out[3]
    # Markup is text to Apertium, and comes back unescaped (cleaned later, like the original's).
    assert "<" in out[4] and "&" in out[4] and "&lt;" not in out[4] and "&amp;" not in out[4]
    assert ("martes" if target == "es" else "mardi") in out[5]
    assert all("Tuesday" not in text for text in out)


def fake_apertium(tmp_path, script: str) -> str:
    """An `apertium` that lists en-es and es-fr, then does what ``script`` says."""
    path = tmp_path / "apertium"
    path.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-l" ]; then printf "  eng-spa\\n  es-fr\\n"; exit 0; fi\n' + script + "\n"
    )
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_apertium_missing_is_unavailable(tmp_path):
    apertium = ApertiumBackend(command=str(tmp_path / "no-apertium"), timeout=5)
    assert_unavailable_quickly(lambda: apertium.route("en", "es"), 5, "cannot be run")


def test_apertium_that_crashes_says_why(tmp_path):
    command = fake_apertium(tmp_path, 'echo "Error: the pair is broken" >&2; exit 3')
    apertium = ApertiumBackend(command=command, timeout=5)
    assert_unavailable_quickly(
        lambda: apertium.translate(["Hi"], "en", "es"), 5, "stopped", "the pair is broken"
    )


def test_apertium_that_loses_lines_is_unavailable(tmp_path):
    command = fake_apertium(tmp_path, "head -c 20 >/dev/null; echo '<p id=\"0-0\">Hola</p>'")
    apertium = ApertiumBackend(command=command, timeout=5)
    assert apertium.translate(["Hi"], "en", "es") == ["Hola"]
    assert_unavailable_quickly(
        lambda: apertium.translate(["Hi", "Bye"], "en", "es"), 5, "lines of the batch"
    )


def test_apertium_too_slow_is_stopped_with_its_children(tmp_path):
    marker = tmp_path / "still-running"
    command = fake_apertium(tmp_path, f"sleep 3 && touch {marker}")
    apertium = ApertiumBackend(command=command, timeout=0.5)
    assert_unavailable_quickly(
        lambda: apertium.translate(["Hi"], "en", "fr"), 2, "Apertium", "within 0.5 seconds"
    )
    time.sleep(3)
    assert not marker.exists()  # the sleeping child was killed with the script


# ---------------------------------------------------------------------------------------------
# Language detection


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The city council meets on Tuesday to discuss the new cycling lanes.", "en"),
        (
            "Le conseil municipal se réunit mardi pour discuter des nouvelles pistes cyclables.",
            "fr",
        ),
        ("يجتمع مجلس المدينة يوم الثلاثاء لمناقشة مسارات الدراجات الجديدة.", "ar"),
        ("Το δημοτικό συμβούλιο συνεδριάζει την Τρίτη για τους νέους ποδηλατόδρομους.", "el"),  # noqa: RUF001
        ("Walk with the mayor, see https://example.org/la-ville-de-demain", "en"),
    ],
)
def test_detect_language(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["ok", "", "  ", "12 345", "https://example.org/", "Marseille"])
def test_detect_language_says_nothing_when_unsure(text):
    assert detect_language(text) is None
