"""The design system's components (templates/includes/components/, docs/design.md) render what
their documentation promises: named regions, current links, tones in words, nothing empty."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe


def render(source: str, language: str = "en", **context: object) -> str:
    with translation.override(language):
        return Template("{% load cocity %}" + source).render(Context(context))


def test_page_header_has_breadcrumbs_title_lead_and_no_empty_parts():
    html = render(
        '{% links "/spaces/" "Spaces" "/spaces/x/" "X" as trail %}'
        '{% include "includes/components/page_header.html" with title="Plan" lead="Why" '
        'breadcrumbs=trail eyebrow="Process" %}'
    )
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html
    assert (
        html.index('href="/spaces/"')
        < html.index('href="/spaces/x/"')
        < html.index("<h1><bdi>Plan</bdi></h1>")
    )
    assert '<p class="lead">Why</p>' in html and '<p class="eyebrow">Process</p>' in html
    bare = render('{% include "includes/components/page_header.html" with title="Plan" %}')
    assert "breadcrumbs" not in bare and "lead" not in bare and "page-actions" not in bare


def test_links_takes_pairs_only():
    with pytest.raises(TemplateSyntaxError):
        render('{% links "/a/" "A" "/b/" as trail %}')


@pytest.mark.parametrize(
    ("status", "tone"),
    [
        ("signed", "ok"),
        ("overdue", "danger"),
        ("in_review", "info"),
        ("delayed", "warning"),
        ("", "neutral"),
        ("what", "neutral"),
    ],
)
def test_a_badge_says_its_status_in_words_with_a_tone(status, tone):
    html = render(
        '{% include "includes/components/badge.html" with label="Words" status=s %}', s=status
    )
    assert f'class="badge badge-{tone}"' in html and ">Words</span>" in html


def test_tabs_mark_the_current_page():
    request = RequestFactory().get("/spaces/x/members/")
    html = render(
        '{% links "/spaces/x/" "Overview" "/spaces/x/members/" "Members" as tabs %}'
        '{% include "includes/components/tabs.html" with tabs=tabs label="Sections" %}',
        request=request,
    )
    assert '<nav class="tabs" aria-label="Sections">' in html
    assert '<a href="/spaces/x/members/" aria-current="page">Members</a>' in html
    assert '<a href="/spaces/x/">Overview</a>' in html


def test_data_table_is_a_named_keyboard_region_with_numbers_aligned():
    html = render(
        '{% include "includes/components/data_table.html" with id="t" caption="Totals" '
        'headers=headers rows=rows numeric="1" %}',
        headers=["City", "Amount", "Note"],
        rows=[["Lyon", "1,000", "a"]],
    )
    assert 'role="region" aria-labelledby="t-caption" tabindex="0"' in html
    assert '<caption id="t-caption">Totals</caption>' in html
    assert '<th scope="col" class="num">Amount</th>' in html
    assert '<th scope="row">Lyon</th><td class="num">1,000</td><td>a</td>' in html
    empty = render(
        '{% include "includes/components/data_table.html" with id="t" caption="T" '
        "headers=h rows=r %}",
        h=["A", "B"],
        r=[],
    )
    assert 'colspan="2"' in empty and "Nothing to show yet." in empty


def test_facts_leave_out_empty_values_and_keep_zero():
    html = render(
        '{% links "Where" "Lyon" "When" "" "Seats" 0 as facts %}'
        '{% include "includes/components/facts.html" with facts=facts %}'
    )
    assert "<dt>Where</dt><dd>Lyon</dd>" in html and "<dt>Seats</dt><dd>0</dd>" in html
    assert "When" not in html
    assert '<section class="glance" aria-labelledby="glance-heading">' in html


def test_progress_is_named_and_says_its_value():
    html = render(
        '{% include "includes/components/progress.html" with id="p" label="Done" value=1 max=3 %}'
    )
    assert (
        '<progress id="p" max="3" value="1" aria-labelledby="p-label" aria-describedby="p-value">'
        in html
    )
    assert '<span class="progress-value" id="p-value">33%</span>' in html


def test_empty_state_and_card():
    html = render(
        '{% include "includes/components/empty_state.html" with message="No event yet." '
        'action_url="/new/" action_label="Plan one" %}'
    )
    assert "No event yet." in html and 'href="/new/"' in html
    card = render(
        '{% include "includes/components/card.html" with tag="li" title="T" url="/t/" meta="M" '
        'badge="open" tone="ok" level=3 %}'
    )
    assert (
        card.strip().startswith('<li class="card">')
        and '<h3 class="card-title"><a href="/t/"><bdi>T</bdi></a></h3>' in card
    )
    assert "card-cover" not in card  # no empty box without a cover
    covered = render(
        '{% include "includes/components/card.html" with title="T" url="/t/" cover=img %}',
        img=mark_safe("<img src='/c.webp' alt=''>"),
    )
    assert 'class="card card-with-cover"' in covered
    assert "<div class=\"card-cover\"><img src='/c.webp' alt=''></div>" in covered
