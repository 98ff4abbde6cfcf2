"""Right-to-left by logical properties only (docs/design.md): the site's style sheets never say
left or right, so an Arabic page (<html dir="rtl">) mirrors without a second style sheet.

A declaration that must stay physical because it looks the same both ways (a chevron pointing
down) says so in a comment on its line: ``/* same in both directions ... */``.
"""

import re
from pathlib import Path

import pytest

import cocity

CSS = Path(cocity.__file__).parent / "static" / "cocity" / "css"
SHEETS = ["site.css", "map.css"]
EXEMPT = "/* same in both directions"

PHYSICAL_PROPERTY = re.compile(
    r"^(?:(?:margin|padding|border|scroll-margin|scroll-padding)-(?:left|right)(?:-\w+)?"
    r"|border-(?:top|bottom)-(?:left|right)-radius|left|right)$"
)
PHYSICAL_VALUE = {
    "float": re.compile(r"\b(?:left|right)\b"),
    "clear": re.compile(r"\b(?:left|right)\b"),
    "text-align": re.compile(r"\b(?:left|right)\b"),
    "background-position": re.compile(r"\b(?:left|right)\b"),
    "background": re.compile(r"\b(?:left|right)\b"),
    "justify-content": re.compile(r"\b(?:left|right)\b"),
    "justify-self": re.compile(r"\b(?:left|right)\b"),
    "justify-items": re.compile(r"\b(?:left|right)\b"),
}
# Shorthands whose four values are top, right, bottom, left: uneven sides are physical.
FOUR_SIDES = {"margin", "padding", "inset", "border-width", "border-style", "border-color"}


def declarations(sheet: str) -> list[tuple[int, str, str, str]]:
    """(line, property, value, the whole line) for each declaration of a style sheet."""
    found = []
    for number, line in enumerate((CSS / sheet).read_text().splitlines(), start=1):
        code = re.sub(r"/\*.*?\*/", "", line)
        for match in re.finditer(r"(?:^|[{;])\s*([a-z-]+)\s*:\s*([^;{}]+)", code):
            found.append((number, match.group(1), match.group(2).strip(), line))
    return found


def parts(value: str) -> list[str]:
    """The space-separated values of a declaration, calc(...) and var(...) kept whole."""
    out, depth, word = [], 0, ""
    for char in value.replace("!important", "").strip() + " ":
        depth += (char == "(") - (char == ")")
        if char.isspace() and depth == 0:
            if word:
                out.append(word)
            word = ""
        else:
            word += char
    return out


def uneven(value: str) -> bool:
    sides = parts(value)
    return len(sides) == 4 and sides[1] != sides[3]


def physical(prop: str, value: str) -> bool:
    if PHYSICAL_PROPERTY.match(prop):
        return True
    if prop in PHYSICAL_VALUE and PHYSICAL_VALUE[prop].search(value):
        return True
    return prop in FOUR_SIDES and uneven(value)


@pytest.mark.parametrize("sheet", SHEETS)
def test_the_style_sheets_say_start_and_end_never_left_and_right(sheet):
    wrong = [
        f"{sheet}:{number}: {prop}: {value}"
        for number, prop, value, line in declarations(sheet)
        if physical(prop, value) and EXEMPT not in line
    ]
    assert not wrong, "use the logical property (inline-start/end):\n" + "\n".join(wrong)


def test_the_check_finds_physical_declarations():
    assert physical("margin-left", "1rem")
    assert physical("padding-right", "0")
    assert physical("left", "0.5rem")
    assert physical("float", "left")
    assert physical("text-align", "right")
    assert physical("margin", "0 0 0 auto")
    assert physical("border-top-left-radius", "4px")
    assert not physical("margin-inline-start", "auto")
    assert not physical("margin", "0 auto")
    assert not physical("margin", "0 1rem 0 1rem")
    assert not physical("float", "inline-start")
    assert not physical("text-align", "start")
    assert not physical("padding", "var(--space-2) var(--space-2) var(--space-3)")
    assert not physical("margin", "var(--space-2) calc(-1 * var(--space-2)) 0")
    assert physical("margin", "0 calc(-1 * var(--space-2)) 0 0")
