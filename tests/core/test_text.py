from cocity.core.text import clean_plain_text, render_markdown


def test_markdown_keeps_formatting_and_links() -> None:
    html = render_markdown("**Co-production** in [Bologna](https://www.comune.bologna.it)")
    assert "<strong>Co-production</strong>" in html
    assert 'href="https://www.comune.bologna.it"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_markdown_drops_scripts_handlers_and_javascript_urls() -> None:
    hostile = (
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        "[click](javascript:alert(3)) <svg onload=alert(4)></svg>"
        '<a href="data:text/html,<script>alert(5)</script>">x</a>'
    )
    html = render_markdown(hostile)
    for needle in ("<script", "onerror", "javascript:", "<svg", "onload", "data:text"):
        assert needle not in html


def test_plain_text_loses_nul_and_control_characters() -> None:
    assert clean_plain_text("  Belle\x00 de Mai\x07\n ") == "Belle de Mai"
