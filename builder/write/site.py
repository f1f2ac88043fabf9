"""Site-wide files written beside the pages: the abbreviations behind the glossary tooltips, the tags
page, the front matter that puts a report under its tags, and MathJax copied out of its Python
package, so math renders on a site that never reaches a CDN."""
from __future__ import annotations

import html
import re
from importlib import resources
from pathlib import Path

import yaml
from pymdownx.slugs import slugify


from ..errors import ConfigError
from ..models import GlossaryTerm, NamedTerm, RelatedLink
from .markdown import escape_attr, escape_md
from .words import WORDS, words_for

# Relative to content/ (the MkDocs docs_dir). mkdocs.yml excludes includes/ from the pages and
# appends the abbreviations to every page through pymdownx.snippets.
from ..layout import ABBREVIATIONS, TAGS_PAGE  # noqa: E402,F401 (layout owns every output name)
MATHJAX_DIR = "assets/mathjax"
FORMULAS_FILE = "formulas.yml"
_slugify = slugify(case="lower")

# What of MathJax 3's es5 build the site needs: the TeX + CommonHTML bundle, the components it loads
# on demand (safe mode, menu, assistive MathML, TeX extensions) and the fonts. About 3 MB of 24.
MATHJAX_PARTS = ("tex-chtml.js", "ui", "a11y/assistive-mml.js", "input/tex/extensions",
                 "output/chtml/fonts/woff-v2", "LICENSE")


def abbreviations(glossary: list[GlossaryTerm], named: list[NamedTerm] | tuple[NamedTerm, ...] = (),
                  language: str = "en") -> str:
    """`*[DPO]: ...` lines, so Material shows a tooltip wherever an abbreviation appears: a curated
    term's definition, or for a term a paper names, the sentence that names it (a curated
    abbreviation keeps its own).

    The abbr extension puts the text in a title attribute, where Markdown escapes would show as
    backslashes; html-escaping (done again by the renderer) keeps it inert instead."""
    words = words_for(language)
    chinese = words["language"] == "zh"
    texts: dict[str, str] = {}
    for term in sorted((t for t in glossary if t.abbr), key=lambda t: t.abbr):
        definition = (term.definition_zh if chinese else "") or term.definition
        texts.setdefault(re.sub(r"[\[\]\s]", "", term.abbr), f"{term.term} ({term.zh}): {definition}")
    for term in named:
        abbr = re.sub(r"[\[\]\s]", "", term.abbr or "")
        if abbr and abbr not in texts:
            sentence = term.sentence if len(term.sentence) <= TOOLTIP_CHARS else term.sentence[:TOOLTIP_CHARS - 1] + "…"
            texts[abbr] = f"{term.name}: “{sentence}” " + words["tooltip page"].format(page=term.page_no, paper=term.slug)
    lines = [f"*[{abbr}]: {escape_attr(text)}" for abbr, text in sorted(texts.items()) if abbr]
    return "\n".join(lines) + "\n"


TOOLTIP_CHARS = 240


def tag_text(tag: str) -> str:
    """A tag as Material should see it. Its tags plugin writes tag names into the page's HTML
    without escaping them, so a tag like "<script>…" from pair.yml must arrive as entities."""
    return html.escape(re.sub(r"\s+", " ", str(tag)).strip(), quote=True)


def front_matter(tags: list[str]) -> str:
    """YAML front matter for a page; the tags plugin lists the page under each tag."""
    clean = [t for t in dict.fromkeys(tag_text(t) for t in tags) if t]
    if not clean:
        return ""
    return "---\n" + yaml.safe_dump({"tags": clean}, allow_unicode=True, sort_keys=False) + "---\n\n"


def tag_anchor(tag: str) -> str:
    """The anchor of a tag on the tags page, as Material's tags plugin makes it by default."""
    return "tag:" + _slugify(tag_text(tag), "-")


def write_tags_page(language: str = "en") -> str:
    """The tags index; Material's tags plugin fills in the marker with every tag and its pages."""
    words = words_for(language)
    return f"# {words['tags title']}\n\n{words['tags intro']}\n\n<!-- material/tags -->\n"


def load_formulas() -> dict[str, str]:
    """Glossary term id -> a formula in TeX, written by us (trusted), shown on the glossary page."""
    text = resources.files("builder.data").joinpath(FORMULAS_FILE).read_text(encoding="utf-8")
    try:
        rows = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise ConfigError(f"builder/data/{FORMULAS_FILE}: not valid YAML ({err})") from err
    if not isinstance(rows, dict):
        raise ConfigError(f"builder/data/{FORMULAS_FILE}: expected 'term-id: formula' lines")
    return {str(k): " ".join(str(v).split()) for k, v in rows.items()}


def display_math(tex: str) -> str:
    """A display formula for pymdownx.arithmatex (dollar syntax only, see mkdocs.yml)."""
    return f"$$\n{tex.replace('$', '')}\n$$"


def mathjax_root() -> Path:
    """MathJax 3's es5 build as shipped by the `django-static-mathjax` wheel (a plain copy of
    MathJax's release files; Django itself is not needed)."""
    try:
        root = resources.files("mathjax").joinpath("static", "mathjax", "es5")
    except ModuleNotFoundError as err:
        raise ConfigError("MathJax is missing: pip install django-static-mathjax") from err
    root = Path(str(root))
    if not (root / "tex-chtml.js").is_file():
        raise ConfigError(f"{root}: no tex-chtml.js; reinstall django-static-mathjax")
    return root


def mathjax_files() -> dict[str, Path]:
    """Site path (under content/) -> file in the MathJax package, for the parts the site loads."""
    root = mathjax_root()
    found: dict[str, Path] = {}
    for part in MATHJAX_PARTS:
        source = root / part if part != "LICENSE" else root.parent / "LICENSE"
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        for file in files:
            if file.is_file():
                name = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.name
                found[f"{MATHJAX_DIR}/{name}"] = file
    return found


def local_player(video_name: str, subtitles_name: str, language: str, label: str = "Transcript") -> list[str]:
    """The talk's own file in an HTML5 player with its WebVTT subtitles; coursewiki.js seeks it
    when a talk timestamp on the page is clicked."""
    track = [f'  <track kind="subtitles" src="{escape_attr(subtitles_name)}" srclang="{escape_attr(language)}" '
             f'label="{escape_attr(label)}" default>'] if subtitles_name else []
    return [f'<video class="coursewiki-player" controls preload="metadata" width="100%" src="{escape_attr(video_name)}">',
            *track, "</video>"]


def no_transcript_note(transcript) -> list[str]:
    """What a page says where the talk has no transcript because the model cannot write its
    language: in English and Chinese, since either reader may meet it."""
    language = escape_md(transcript.language or "another language")
    return ['!!! warning "No transcript · 没有文字稿"', "",
            f"    This talk is in {language}, which the speech model {escape_md(transcript.model)} cannot "
            f"transcribe, so this page has the player only: no transcript, subtitles, chapters or talk "
            f"supplements made from guessed text. Build with a multilingual model (leave `--whisper-model` "
            f"out, or `--whisper-model small`) to get them.", "",
            f"    本讲座的语言（{language}）超出语音模型 {escape_md(transcript.model)} 的识别范围，因此这里只提供播放器，"
            f"不发布由猜测文字生成的文字稿、字幕、章节或补充要点。使用多语言模型重新构建即可生成。", ""]


RELATED_TERMS_SHOWN = 6


def related_box(links: list[RelatedLink], words: dict[str, str] = WORDS["en"]) -> list[str]:
    """An admonition listing related reports, each with why it is related."""
    lines = [f'!!! tip "{words["read next"]}"', ""]
    for link in links:
        reasons = []
        if link.shared_terms:
            names = ", ".join(escape_md(t) for t in link.shared_terms[:RELATED_TERMS_SHOWN])
            more = len(link.shared_terms) - RELATED_TERMS_SHOWN
            reasons.append(words["both use"].format(names=names) + (words["more terms count"].format(n=more) if more > 0 else ""))
        reasons.append(words["topic similarity"].format(score=f"{link.score:.2f}"))
        lines.append(f"    - [{escape_md(link.title)}](../{link.slug}/report.md): {words['reason sep'].join(reasons)}")
    return lines + [""]
