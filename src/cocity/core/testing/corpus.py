"""Hostile inputs, and a check that a page carries no executable markup.

Every user text field of every form is fed each of these (see ``cocity.core.testing.forms``):
the value must be stored or refused with a clear error, never cause a 500, and wherever it is
shown afterwards it must be inert text.
"""

from html.parser import HTMLParser

HOSTILE_INPUTS: dict[str, str] = {
    "script_tag": '<script>alert("xss")</script>',
    "script_breakout": '"><script>alert(1)</script><"',
    "img_onerror": "<img src=x onerror=alert(1)>",
    "attribute_breakout": '" onmouseover="alert(1)" x="',
    "single_quote_breakout": "' autofocus onfocus='alert(1)",
    "javascript_url": "javascript:alert(1)",
    "markdown_javascript_link": (
        "[click me](javascript:alert(1)) <a href='javascript:alert(1)'>x</a>"
    ),
    "svg_onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "svg_script": "<svg><script>alert(1)</script></svg>",
    "iframe_srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "style_expression": '<style>body{background:url("javascript:alert(1)")}</style>',
    "template_syntax": "{{ request }} {% debug %} ${7*7} #{7*7}",
    "sql_quote": "'; DROP TABLE accounts_user; --",
    "sql_union": "1' OR '1'='1' UNION SELECT password FROM accounts_user --",
    "over_long": "x" * 100_000,
    "nul_bytes": "before\x00after\x00",
    "control_characters": "bell\x07 escape\x1b[31m red",
    "rtl_override": "invoice\u202egnp.exe",
    "mixed_direction": (
        "\u0645\u0631\u062d\u0628\u0627 hello \u2067\u05e9\u05dc\u05d5\u05dd\u2069 \u200f end"
    ),
    "zero_width_and_emoji": "zero\u200bwidth 👩\u200d👩\u200d👧 \ufeff",
    # Line breaks that would start a mail header or an iCalendar property of their own.
    "header_and_ical_injection": (
        "subject\r\nBcc: victim@example.org\r\nX-Injected: 1\nDTSTART:19700101T000000Z\n"
        "END:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected"
    ),
    "spreadsheet_formula": '=HYPERLINK("https://evil.example","x")&"@SUM(1+1)"',
    # The private-use characters search extracts use to mark highlights.
    "highlight_markers": "\ue001<b>\ue000 closes and opens a highlight\ue000",
}

# A few, for slower checks (the browser).
BROWSER_INPUTS = ["script_tag", "img_onerror", "svg_onload", "attribute_breakout"]

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
_INERT_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class _Inspector(HTMLParser):
    def __init__(self, static_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.static_url = static_url
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name in _URL_ATTRIBUTES:
                squashed = "".join(ch for ch in value if ch > " ").lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}> script URL")
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc> inline document")
        if tag == "script":
            src = values.get("src", "")
            kind = values.get("type", "").lower()
            if kind not in _INERT_SCRIPT_TYPES and not src.startswith(self.static_url):
                self.problems.append(f"<script src={src!r}> not one of the site's own scripts")
        if tag in {"object", "embed", "base"}:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def executable_markup(html: str, static_url: str = "/static/") -> list[str]:
    """What in this page could run script: inline or foreign ``<script>``, ``on…=`` handlers,
    ``javascript:`` URLs, ``srcdoc``, ``<object>``/``<embed>``/``<base>``. Empty when inert.

    The site itself never uses any of these (its CSP forbids inline script), so anything found
    came from content."""
    inspector = _Inspector(static_url)
    inspector.feed(html)
    inspector.close()
    return inspector.problems
