"""The built site in a real browser: Debian's chromium, driven by playwright, against `mkdocs build`
output of the example pair served on 127.0.0.1. Screenshots go to test-artifacts/ (not committed)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.config import CourseSettings
from builder.pipeline import build_course
from builder.serve import serve_in_thread

from conftest import REPO, course_root

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-gpu"]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="no /usr/bin/chromium (apt-get install chromium; .ci/run does)")


def mkdocs_build(root: Path, config: str = "mkdocs.yml") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config], cwd=root,
                          capture_output=True, text=True,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(root),
                               "PYTHONPATH": str(REPO)})  # our plugin from this checkout


@pytest.fixture(scope="module")
def example_site(tmp_path_factory, shared_cache):
    """The example pair shipped in sources/example, built and rendered by `mkdocs build --strict`."""
    root = course_root(tmp_path_factory.mktemp("site"))
    shutil.copytree(REPO / "sources" / "example", root / "sources" / "example")
    summary = build_course(CourseSettings.for_root(root, cache_dir=shared_cache))
    assert summary.built == ["example"], summary.failed
    done = mkdocs_build(root)
    assert done.returncode == 0, done.stderr[-3000:]
    return root


@pytest.fixture(scope="module")
def served(example_site):
    """The built site over HTTP on 127.0.0.1 (a random free port), with range requests as any real
    static host (GitHub Pages) answers them: browsers need them to seek a video."""
    server, base = serve_in_thread(example_site / "site")
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A browser page that records console errors, page errors and every request leaving the site."""
    def __init__(self, browser, base: str):
        self.base = base
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"{self.page.url}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("request", self._request)

    def _failed(self, request) -> None:
        # A media element cancels its pending range request when it seeks: that is no error.
        if request.failure != "net::ERR_ABORTED" or request.resource_type != "media":
            self.errors.append(f"failed request {request.url} ({request.failure})")

    def _request(self, request) -> None:
        if not request.url.startswith((self.base, "data:", "blob:", "about:")):
            self.outside.append(request.url)

    def open(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.fixture
def watched(browser, served):
    tab = Watched(browser, served)
    yield tab
    tab.page.close()


def search(tab: Watched, query: str, expected_href: str) -> list[str]:
    """Type a query into Material's search box and return the result links once `expected_href`
    shows up (or whatever it shows after a few tries, for the assertion to report)."""
    page = tab.open("index.html")
    box = page.locator("input.md-search__input")
    box.click()
    links: list[str] = []
    for _ in range(4):   # the search index loads in a worker; the first query may come before it
        box.fill(query)
        page.keyboard.press("End")
        try:
            page.wait_for_selector(f".md-search-result__item > a[href*='{expected_href}']", timeout=4000)
        except Exception:
            pass
        links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
        if any(expected_href in link for link in links):
            break
    return [link.removeprefix(tab.base) for link in links]


@needs_chromium
def test_chinese_query_for_a_mid_sentence_word_finds_the_glossary_entry(watched):
    # 冻结 ("frozen") sits mid-sentence in DPO's Chinese definition: only jieba + \u200b make it a word.
    links = search(watched, "冻结", "glossary.html")
    assert any(re.match(r"glossary\.html\?h=[^#]*#dpo$", link) for link in links), links
    links = search(watched, "直接偏好优化", "glossary.html")
    assert any(link.endswith("#dpo") for link in links), links
    assert watched.errors == []


@needs_chromium
def test_english_query_returns_the_report(watched):
    links = search(watched, "tutorial", "example/report.html")
    assert links and links[0].startswith("example/report.html"), links
    assert watched.errors == []


@needs_chromium
@pytest.mark.parametrize("page_name", ["example/talk.html", "example/report.html"])
def test_clicking_a_timestamp_seeks_the_player_to_that_second(watched, page_name):
    page = watched.open(page_name)
    links = page.locator("article a[href*='#t=']")
    seconds = [int(re.search(r"#t=(\d+)", links.nth(i).get_attribute("href"))[1]) for i in range(links.count())]
    index = next(i for i, s in enumerate(seconds) if 20 <= s <= 80)
    target = seconds[index]
    link = links.nth(index)
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_function(
        "t => { const v = document.querySelector('video.coursewiki-player');"
        " return v && v.readyState >= 2 && v.currentTime >= t - 0.25 && v.currentTime < t + 3; }",
        arg=target, timeout=10000)
    state = page.evaluate("() => { const v = document.querySelector('video.coursewiki-player');"
                          " return {error: v.error && v.error.code, src: v.currentSrc, url: location.href}; }")
    assert state["error"] is None
    assert state["url"].endswith(page_name), "the page stayed; the link did not navigate to the video file"
    assert watched.errors == []


@needs_chromium
def test_player_shows_subtitles_from_the_webvtt_file(watched):
    page = watched.open("example/talk.html")
    page.wait_for_function("() => { const t = document.querySelector('video.coursewiki-player').textTracks[0];"
                           " return t && t.mode === 'showing' && t.cues && t.cues.length > 5; }", timeout=10000)
    first = page.evaluate("() => document.querySelector('video.coursewiki-player').textTracks[0].cues[0].text")
    vtt = (watched_site_file(watched, "example/talk.vtt")).splitlines()
    assert first in vtt


def watched_site_file(tab: Watched, path: str) -> str:
    return tab.page.request.get(tab.base + path).text()


@needs_chromium
def test_hovering_an_abbreviation_shows_its_glossary_definition(watched):
    page = watched.open("example/report.html")
    term = page.locator("article abbr", has_text=re.compile(r"^DPO$")).first
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "Direct Preference Optimization" in tooltip.inner_text()
    assert "直接偏好优化" in tooltip.inner_text()
    assert watched.errors == []


@needs_chromium
def test_math_renders_with_mathjax_served_by_the_site(watched):
    page = watched.open("glossary.html")
    page.wait_for_function("() => document.querySelectorAll('.arithmatex mjx-container').length > 0",
                           timeout=15000)
    counts = page.evaluate("() => [document.querySelectorAll('.arithmatex').length,"
                           " document.querySelectorAll('.arithmatex mjx-container').length,"
                           " document.querySelectorAll('mjx-merror').length]")
    spans, typeset, errors = counts
    # the glossary shows the formulas of the terms the example pair uses (4 today)
    assert spans >= 2 and typeset == spans and errors == 0, counts
    assert watched.outside == [] and watched.errors == []


@needs_chromium
def test_keyframe_opens_in_a_lightbox(watched):
    page = watched.open("example/talk.html")
    frame = page.locator("article a.glightbox img").first
    frame.scroll_into_view_if_needed()
    frame.click()
    page.locator(".glightbox-container .gslide-image img").first.wait_for(state="visible", timeout=5000)
    assert watched.errors == []


@needs_chromium
def test_no_page_has_console_errors_or_requests_leaving_the_site(watched, example_site):
    pages = sorted(p.relative_to(example_site / "site").as_posix() for p in (example_site / "site").rglob("*.html"))
    assert {"index.html", "glossary.html", "tags.html", "example/report.html", "example/talk.html"} <= set(pages)
    for name in pages:
        watched.open(name)
    assert watched.errors == []
    assert watched.outside == []


@needs_chromium
def test_screenshots_of_home_and_report_for_a_person_to_look_at(watched):
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {"home.png": "index.html", "report.png": "example/report.html"}
    for file_name, page_name in shots.items():
        page = watched.open(page_name)
        page.evaluate("() => document.fonts.ready")
        page.screenshot(path=str(ARTIFACTS / file_name), full_page=True)
        assert (ARTIFACTS / file_name).stat().st_size > 10_000
    print(f"screenshots in {ARTIFACTS}")


# --- the same site, checked without a browser --------------------------------------------------

def test_home_page_card_has_thumbnail_title_authors_and_tags(example_site):
    html = (example_site / "site" / "index.html").read_text(encoding="utf-8")
    card = html.split('class="grid cards"', 1)[1].split("</div>", 1)[0]
    assert 'src="example/assets/chapter-1.jpg"' in card
    assert "Learning from Preferences Without a Reward Model" in card
    assert "Ada Lindqvist, Rahul Menon, Mei Chen" in card
    assert 'href="tags.html#tag:preference-optimization"' in card


def test_tags_page_lists_the_report_under_each_tag(example_site):
    html = (example_site / "site" / "tags.html").read_text(encoding="utf-8")
    assert 'id="tag:alignment"' in html and 'id="tag:preference-optimization"' in html
    assert "example/report.html" in html


def test_abbreviations_file_is_appended_but_not_published(example_site):
    assert (example_site / "content" / "includes" / "abbreviations.md").is_file()
    assert not (example_site / "site" / "includes").exists()
    html = (example_site / "site" / "example" / "report.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="Direct Preference Optimization \(直接偏好优化\): [^"]+">DPO</abbr>', html)


def test_site_uses_no_cdn_and_serves_mathjax_itself(example_site):
    site = example_site / "site"
    assert (site / "assets" / "mathjax" / "tex-chtml.js").is_file()
    assert list((site / "assets" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']https?://(?!127\.0\.0\.1)[^"']+\.(js|css|woff2?)""", text), page


def test_chinese_interface_language_builds(example_site, tmp_path):
    config = example_site / "mkdocs-zh.yml"
    text = (example_site / "mkdocs.yml").read_text(encoding="utf-8")
    zh = re.sub(r"(?m)^(\s+language:) en\b", r"\1 zh", text).replace("docs_dir: content", "docs_dir: content\n"
                                                                            f"site_dir: {tmp_path / 'site-zh'}")
    assert zh != text
    config.write_text(zh, encoding="utf-8")
    done = mkdocs_build(example_site, config.name)
    assert done.returncode == 0, done.stderr[-3000:]
    html = (tmp_path / "site-zh" / "example" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in html
    assert "Reading report" in html, "the report keeps its own language"
