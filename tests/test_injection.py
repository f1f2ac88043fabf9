"""A crafted PDF and pair.yml full of markup go through the whole pipeline and mkdocs: every attack
ends up as visible text on the site, never as an element, attribute, link or template."""
from __future__ import annotations

import html
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pymupdf
import pytest

from builder.config import CourseSettings
from builder.pipeline import build_course
from conftest import SPEECH, course_root, make_pair

TITLE_ATTACK = "</title><script>alert('title')</script> Attention Is Markup"
AUTHOR_ATTACK = '<img src=x onerror="alert(1)">'
BODY_ATTACKS = [
    "We show that <script>alert('body')</script> is not executed by the reader of this page today.",
    'Our method uses <img src=x onerror="alert(2)"> images in a careful and controlled way.',
    "The attention mechanism is described in [this link](javascript:alert(3)) for the readers.",
    "Templates such as {{ config.site_name }} and {% include 'secret' %} stay plain text here.",
    'Raw markup like <div onclick="alert(4)">hello</div> and <iframe src="https://evil"></iframe> appears.',
]


def crafted_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 90), TITLE_ATTACK, fontsize=18)
    page.insert_text((72, 120), AUTHOR_ATTACK + " and Mallory Example", fontsize=11)
    page.insert_text((72, 160), "Abstract", fontsize=11, fontname="helvetica-bold")
    y = 180
    body = " ".join(BODY_ATTACKS)
    page.insert_textbox(pymupdf.Rect(72, y, 540, y + 120), body, fontsize=10)
    page.insert_text((72, 330), "1 Introduction", fontsize=12, fontname="helvetica-bold")
    page.insert_textbox(pymupdf.Rect(72, 345, 540, 700), (body + " ") * 3, fontsize=10)
    doc.save(path)
    return path


class Elements(HTMLParser):
    """Every element and attribute on a page, and its visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


@pytest.fixture(scope="module")
def crafted_site(tmp_path_factory, shared_cache):
    root = course_root(tmp_path_factory.mktemp("injection"))
    pdf = crafted_pdf(root / "crafted.pdf")
    make_pair(root / "sources", "crafted", pdf, SPEECH / "jfk.flac",
              'venue: "[x](javascript:alert(5)) <b onmouseover=alert(6)>NeurIPS</b>"\n'
              'tags: ["<script>alert(7)</script>"]\n'
              "authors: ['<img src=x onerror=\"alert(1)\">', 'Mallory Example']\n"
              "keywords: ['{{ config.site_name }}', \"{% include 'secret' %}\"]\n")
    summary = build_course(CourseSettings.for_root(root, cache_dir=shared_cache))
    assert summary.built == ["crafted"], summary.failed
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return root


def _pages(root: Path):
    for page in sorted((root / "site").rglob("*.html")):
        parser = Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        yield page, parser


def test_no_attack_becomes_an_element_attribute_or_link(crafted_site):
    for page, parsed in _pages(crafted_site):
        for tag, attrs in parsed.tags:
            assert tag not in ("iframe",) or "evil" not in attrs.get("src", ""), page
            assert not (tag == "img" and attrs.get("src") == "x"), page
            for name, value in attrs.items():
                assert not (name.startswith("on") and "alert" in (value or "")), (page, tag, name)
                assert not (value or "").strip().lower().startswith("javascript:"), (page, tag, name, value)
        assert not any("alert(" in script for script in parsed.scripts), page


def test_every_attack_is_shown_as_the_text_it_was(crafted_site):
    report = next(parsed for page, parsed in _pages(crafted_site) if page.name == "report.html")
    text = " ".join(" ".join(report.text).split())
    assert "</title><script>alert('title')</script> Attention Is Markup" in text
    assert '<img src=x onerror="alert(1)">' in text
    assert "{{ config.site_name }}" in text and "{% include 'secret' %}" in text
    source = (crafted_site / "content" / "crafted" / "report.md").read_text(encoding="utf-8")
    tags_page = next(parsed for page, parsed in _pages(crafted_site) if page.name == "tags.html")
    assert "<script>alert(7)</script>" in " ".join(tags_page.text)  # the tag, shown as text
    assert "<script>" not in source and "<img src=x" not in source and "](javascript:" not in source
    assert html.escape("<b onmouseover") not in text  # escaped once, not twice


def test_in_a_real_browser_no_injected_script_runs_and_no_element_appears(crafted_site):
    from test_site_browser import CHROMIUM, CHROMIUM_ARGS
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    from builder.serve import serve_in_thread
    server, base = serve_in_thread(crafted_site / "site")
    dialogs: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for path in ("crafted/report.html", "crafted/talk.html", "index.html", "glossary.html", "tags.html"):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.mouse.move(400, 400)
                injected = page.evaluate("""() => document.querySelectorAll(
                    'img[src="x"], iframe[src*="evil"], [onerror], [onclick], [onmouseover], a[href^="javascript:"]'
                ).length""")
                assert injected == 0, path
                assert "</title><script>" in page.title() or path != "crafted/report.html"
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert dialogs == []
