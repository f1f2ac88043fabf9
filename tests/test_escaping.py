"""Untrusted text from PDFs and transcripts renders as the same visible text, never as markup."""
from __future__ import annotations

import html
import re

import markdown
from hypothesis import given, settings, strategies as st

from builder.sources import slugify
from builder.write.markdown import escape_md, format_time

RENDER = markdown.Markdown(extensions=["abbr", "attr_list", "md_in_html", "tables", "pymdownx.escapeall",
                                       "pymdownx.superfences", "admonition"])


def render(text: str) -> str:
    RENDER.reset()
    return RENDER.convert(text)


def visible(rendered: str) -> str:
    body = re.sub(r"^<p>|</p>$", "", rendered.strip())
    return html.unescape(body)


ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "{{ config.extra }} {% include 'x' %}",
    "**bold** _it_ `code` # heading",
    "<div markdown>raw</div>",
    "1. not a list",
    "| a | b |",
]


def test_known_attacks_render_as_their_own_text():
    for attack in ATTACKS:
        rendered = render(escape_md(attack))
        assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
        assert "<strong>" not in rendered and "<code>" not in rendered and "<div" not in rendered
        assert visible(rendered) == attack


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_any_text_renders_as_itself_with_no_tags(text):
    rendered = render(escape_md(text))
    expected = " ".join(text.replace("\u2028", " ").replace("\u2029", " ").split())
    if not expected:
        return
    assert visible(rendered) == expected
    assert not re.search(r"<(?!/?p>)", rendered)


@given(st.text(max_size=60))
def test_slug_is_url_safe_and_stable(name):
    slug = slugify(name)
    assert slug and re.fullmatch(r"[\w-]+", slug)
    assert not slug.startswith("-") and ".." not in slug and "/" not in slug
    assert slugify(slug) == slug


def test_times_read_as_minutes_or_hours():
    assert format_time(0) == "00:00"
    assert format_time(760.9) == "12:40"
    assert format_time(3725) == "1:02:05"
