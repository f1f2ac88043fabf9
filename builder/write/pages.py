"""Talk notes, glossary, home page and subtitle files."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ..layout import talk_name
from ..models import GlossaryTerm, NamedTerm, PairResult, Segment, TermRelation, Transcript, Word
from ..video_link import VideoLink, parse_video_url
from .course_nav import arranged
from .crossrefs import glossary_places_line, related_terms_line, section_label
from .markdown import escape_attr, escape_md, format_time, page_link, paper_sentence, time_link
from .site import display_math, local_player, no_transcript_note, tag_anchor
from .words import WORDS, words_for

UNSURE_BELOW = 0.34   # an alignment confidence this low is shown as a close call


def write_talk(result: PairResult, video_name: str, subtitles_name: str, glossary: dict[str, GlossaryTerm],
               embed: bool = False, language: str = "en") -> str:
    """Talk notes. The player is the local talk file; a YouTube/Bilibili `video_url` from pair.yml is
    linked, and becomes the player (an embed the timestamps seek) when the local file has no picture."""
    transcript, analysis = result.transcript, result.analysis
    title = result.paper.meta.value("title") or result.source.slug
    online = parse_video_url(result.source.config.video_url) if result.source.config.video_url else None
    words = words_for(language)
    lines = [f"# {words['talk title'].format(title=escape_md(title))}", ""]
    if online and embed:
        lines += _embed_player(online, words)
    else:
        lines += local_player(video_name, "" if transcript.withheld else subtitles_name, transcript.language or "en",
                              words["subtitles"]) + [""]
    watch = words["watch on"].format(site=online.site, url=online.watch_url) if online else ""
    lines += [words["talk line"].format(duration=format_time(transcript.duration_s), model=escape_md(transcript.model),
                                        watch=watch), ""]
    if transcript.withheld:
        return "\n".join(lines + no_transcript_note(transcript)) + "\n"
    if analysis.off_paper:
        lines += [words["off paper"], ""]
    lines += [f"## {words['chapters']}", ""]
    aligned = {a.chapter_index: a for a in analysis.alignments}
    adds = defaultdict(list)
    for supplement in analysis.supplements:
        adds[supplement.chapter_index].append(supplement)
    for chapter in analysis.chapters:
        lines += [f"### {chapter.index + 1}. {escape_md(chapter.title)}", ""]
        span = f"{time_link(chapter.start_s, video_name)}–{format_time(chapter.end_s)}"
        link = aligned.get(chapter.index)
        explains = (words["explains"].format(section=escape_md(section_label(link.section) or "text"),
                                             page=page_link(link.page_no))
                    + (words["close call"] if link.confidence < UNSURE_BELOW else "") if link else "")
        lines += [f"{span}{explains}", ""]
        if chapter.keyframe:
            what = words["slide alt" if chapter.title_source == "slide" else "keyframe alt"]
            lines += [f"![{what.format(time=format_time(chapter.start_s))}]({chapter.keyframe}){{ width=\"320\" loading=lazy }}",
                      ""]
        lines += slide_text_lines(chapter.slide_text, words)
        lines += ["- " + words["slide shows"].format(time=time_link(f.start_s, video_name),
                                                     figure=f"[{escape_md(f.label)}]({f.image})", page=page_link(f.page_no))
                  for f in chapter.figures] + ([""] if chapter.figures else [])
        items = [(p.start_s, 0, f"- {time_link(p.start_s, video_name)} {escape_md(p.text)}") for p in chapter.points]
        items += [(shot.start_s, 1, f"- {time_link(shot.start_s, video_name)} "
                                    f"![{words['new slide'].format(time=format_time(shot.start_s))}]({shot.image})"
                                    f"{{ width=\"240\" loading=lazy }}")
                  for shot in chapter.slides]
        lines += [text for _, _, text in sorted(items)] + [""]
        if adds.get(chapter.index):
            lines += [words["adds here"], ""]
            lines += [f"- {time_link(s.start_s, video_name)} {escape_md(s.text)}" for s in adds[chapter.index]] + [""]
    lines += [f'??? note "{words["full transcript"]}"', ""]
    lines += [f"    {time_link(s.start_s, video_name)} {escape_md(s.text)}  " for s in transcript.segments]
    return "\n".join(lines) + "\n"


def slide_text_lines(slide_text: str, words: dict[str, str] = WORDS["en"]) -> list[str]:
    """What the slide says, as read by OCR: a quote under the keyframe, in the page's text so the
    site search finds it. The first line is the title (already the heading) and is left out."""
    body = [line for line in slide_text.split("\n")[1:] if line.strip()]
    if not body:
        return []
    return [f"> {words['on the slide']}  ", *[f"> {escape_md(line)}  " for line in body], ""]


def _embed_player(link: VideoLink, words: dict[str, str]) -> list[str]:
    """An iframe built from the validated video id; coursewiki.js reloads it at `data-seek-src`
    with {t} replaced by the second a timestamp link asks for."""
    return ['<div class="coursewiki-embed">',
            f'<iframe class="coursewiki-player" src="{escape_attr(link.embed_url(0))}" '
            f'data-seek-src="{escape_attr(link.embed_url("{t}", autoplay=True))}" '
            f'title="{escape_attr(words["talk embed"].format(site=link.site))}" width="100%" height="420" '
            'allow="autoplay; encrypted-media; picture-in-picture; fullscreen" allowfullscreen '
            'referrerpolicy="strict-origin-when-cross-origin"></iframe>',
            "</div>", ""]


def write_glossary(glossary: list[GlossaryTerm], results: list[PairResult],
                   formulas: dict[str, str] | None = None,
                   related: dict[str, list[tuple[str, TermRelation]]] | None = None,
                   named: list[NamedTerm] | tuple[NamedTerm, ...] = (), language: str = "en") -> str:
    """The course's glossary: the curated terms its papers and talks use and the terms its papers
    name themselves, in one alphabetical list, each with every place it appears; the curated terms
    no pair uses come last, folded away (their anchors stay, for links between terms)."""
    uses = defaultdict(lambda: defaultdict(list))
    for result in results:
        for use in result.analysis.term_uses:
            uses[use.term_id][result.source.slug].append(use)
    titles = {r.source.slug: r.paper.meta.value("title") or r.source.slug for r in results}
    by_slug = {r.source.slug: r for r in results}
    by_id = {t.id: t for t in glossary}
    words = words_for(language)
    lines = [f"# {words['glossary title']}", "", words["glossary intro"], ""]
    entries = [(t.term.casefold(), 0, t) for t in glossary if uses[t.id]] + [(n.name.casefold(), 1, n) for n in named]
    for _, _, term in sorted(entries, key=lambda e: (e[0], e[1])):
        if isinstance(term, NamedTerm):
            lines += _named_entry(term, titles, words)
            continue
        lines += [f"## {escape_md(term.label)} · {escape_md(term.zh)} {{ #{term.id} }}", "",
                  escape_md(term.definition), "", escape_md(term.definition_zh), ""]
        if formulas and formulas.get(term.id):
            lines += [display_math(formulas[term.id]), ""]
        aliases = [a for a in [*term.aliases, *term.aliases_zh] if a]
        if aliases:
            lines += [words["also called"] + ", ".join(escape_md(a) for a in aliases), ""]
        if term.source:
            source = term.source
            cite = ", ".join(escape_md(source[k]) for k in ("authors", "year") if source.get(k))
            title = f" *{escape_md(source['title'])}*" if source.get("title") else ""
            arxiv = f" [arXiv:{escape_md(source['arxiv'])}](https://arxiv.org/abs/{source['arxiv']})" if source.get("arxiv") else ""
            lines += [f"{words['term source']}{cite}.{title}{arxiv}", ""]
        reasons = (related or {}).get(term.id) or [(r, TermRelation(listed=True)) for r in term.related]
        if reasons:
            lines += [related_terms_line(term, reasons, by_id, words), ""]
        defining_first = sorted(uses[term.id], key=lambda s: (not any(
            d.term_id == term.id and d.rule != "first use" for d in by_slug[s].analysis.definitions), s))
        for slug in defining_first:
            lines.append(glossary_places_line(term.id, by_slug[slug], titles[slug], slug, _video_name(by_slug[slug]),
                                              words=words))
        lines.append("")
    unused = sorted((t for t in glossary if not uses[t.id]), key=lambda t: t.term.casefold())
    if unused:
        lines += [f"## {words['other terms']} {{ #other-course-terms }}", "",
                  words["other terms intro"].format(n=len(unused)), "",
                  f'??? note "{words["show terms"].format(n=len(unused))}"', ""]
        for term in unused:
            lines += [f"    - **{escape_md(term.label)}** · {escape_md(term.zh)}: {escape_md(term.definition)}",
                      f"    {{: #{term.id} }}"]
        lines.append("")
    return "\n".join(lines) + "\n"


MAX_PAGES_LISTED = 12


def _named_entry(term: NamedTerm, titles: dict[str, str], words: dict[str, str]) -> list[str]:
    """A term a paper names: the naming sentence quoted with its page, then every pair using it."""
    owner = term.slug
    named_in = words["named in"].format(paper=f"[{escape_md(titles.get(owner, owner))}]({owner}/report.md)")
    lines = [f"## {escape_md(term.label)} {{ #{term.id} }}", "",
             f"{named_in} “{paper_sentence(term.sentence, escape_md)}” {page_link(term.page_no, f'{owner}/')}", ""]
    for slug, pages in term.used_in:
        shown = ", ".join(page_link(n, f"{slug}/") for n in pages[:MAX_PAGES_LISTED])
        more = words["more pages"].format(n=len(pages) - MAX_PAGES_LISTED) if len(pages) > MAX_PAGES_LISTED else ""
        lines.append(f"- [{escape_md(titles.get(slug, slug))}]({slug}/report.md): {shown}{more}")
    return lines + [""]


def _video_name(result: PairResult) -> str:
    return talk_name(result.source.video)


# An absolute POSIX path in a message: not after a letter, a dot, a colon or a slash (so URLs stay).
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])/(?:[^\s/:'\"()]+/)*[^\s/:'\"(),;]+")


def course_relative(message: str, roots: list[Path]) -> str:
    """A failure message fit for a public page: paths relative to the course, never the builder's
    home folder (the home page is published and indexed). A path outside every root keeps only its
    last two parts, which still name the pair folder and the file."""
    for root in sorted({str(r).rstrip("/") for r in roots} - {""}, key=len, reverse=True):
        message = message.replace(root + "/", "")
    return _ABSOLUTE_PATH.sub(lambda m: "/".join(Path(m[0]).parts[-2:]), message)


def write_index(course_title: str, results: list[PairResult], failures: list[str], language: str = "en") -> str:
    """The home page: one Material grid card per pair, under the course's headings (weeks, groups)
    in the navigation's order, newest first within each (`course_nav.arranged`)."""
    words = words_for(language)
    count = words["papers one"] if len(results) == 1 else words["papers many"].format(n=len(results))
    lines = [f"# {escape_md(course_title)}", "", count + words["index intro"], ""]
    for heading in arranged(results, language):
        if heading.title is not None:
            lines += [f"## {escape_md(heading.title)}", ""]
        lines += ['<div class="grid cards" markdown>', ""]
        for result in heading.pairs:
            lines += _card(result, words)
        lines += ["</div>", ""]
    if failures:
        lines += [f"## {words['not built']}", "", words["not built intro"], ""]
        lines += [f"- {escape_md(f)}" for f in failures] + [""]
    return "\n".join(lines)


def _card(result: PairResult, words: dict[str, str]) -> list[str]:
    """One card: keyframe thumbnail, title, authors, venue and year, links, tags (each indented
    four spaces: a card is one list item inside the grid)."""
    meta, slug = result.paper.meta, result.source.slug
    title = meta.value("title") or slug
    authors = meta.value("authors") or []
    byline = ", ".join(authors[:4]) + (" et al." if len(authors) > 4 else "")
    venue, year = meta.value("venue") or "", meta.value("year")
    where = f"{venue}, {year}" if venue and year and str(year) not in str(venue) else (venue or year or "")
    body = []
    thumb = next((c.keyframe for c in result.analysis.chapters if c.keyframe), None)
    if thumb:
        body += [f"[![{words['thumbnail']}]({slug}/{thumb}){{ .coursewiki-thumb loading=lazy }}]({slug}/report.md)", ""]
    body += [f"**[{escape_md(title)}]({slug}/report.md)**", "", "---", ""]
    info = [x for x in (escape_md(byline), escape_md(where)) if x]
    if info:
        body += ["<br>".join(info), ""]
    links = [f"[{words['reading report']}]({slug}/report.md)"]
    if result.transcript:
        links.append(f"[{words['talk notes']}]({slug}/talk.md) ({format_time(result.transcript.duration_s)})")
    body += [" · ".join(links), ""]
    tags = [t for t in result.source.config.tags if t.strip()]
    if tags:
        body += [words["tags"] + ", ".join(f"[{escape_md(t)}](tags.md#{tag_anchor(t)})" for t in tags), ""]
    return [("-   " if n == 0 else "    ") + line if line else "" for n, line in enumerate(body)]


MAX_CUE_S = 7.0
MAX_CUE_CHARS = 84


def subtitles(transcript: Transcript, style: str) -> str:
    """WebVTT (style "vtt") or SRT (style "srt"); a sentence too long for the screen is cut into
    cues of at most MAX_CUE_S seconds and two lines, at its word timestamps."""
    def stamp(seconds: float) -> str:
        ms = int(round(seconds * 1000))
        h, rest = divmod(ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        s, ms = divmod(rest, 1000)
        sep = "." if style == "vtt" else ","
        return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"
    lines = ["WEBVTT", ""] if style == "vtt" else []
    cues = [cue for seg in transcript.segments for cue in _cues(seg)]
    for n, (start_s, end_s, text) in enumerate(cues, start=1):
        text = text.replace("-->", "→").replace("<", "‹").replace(">", "›")
        if style == "srt":
            lines.append(str(n))
        lines += [f"{stamp(start_s)} --> {stamp(max(end_s, start_s + 0.5))}", text, ""]
    return "\n".join(lines)


def _cues(segment: Segment) -> list[tuple[float, float, str]]:
    return [(words[0].start_s, words[-1].end_s, _joined(words)) for words in _cue_words(segment.words)] \
        if segment.words and (segment.end_s - segment.start_s > MAX_CUE_S or len(segment.text) > MAX_CUE_CHARS) \
        else [(segment.start_s, segment.end_s, segment.text)]


def _cue_words(words: list[Word]) -> list[list[Word]]:
    """Halve at the widest pause (a comma counts as one) in the middle half until each part fits."""
    if len(words) < 2 or (words[-1].end_s - words[0].start_s <= MAX_CUE_S and len(_joined(words)) <= MAX_CUE_CHARS):
        return [words]
    middle = (words[0].start_s + words[-1].end_s) / 2
    span = words[-1].end_s - words[0].start_s
    cuts = range(len(words) - 1)
    central = [i for i in cuts if abs(words[i].end_s - middle) <= span / 4] or list(cuts)
    cut = max(central, key=lambda i: (round(words[i + 1].start_s - words[i].end_s + 0.5 * words[i].text.endswith(","), 1),
                                      -abs(words[i].end_s - middle)))
    return _cue_words(words[:cut + 1]) + _cue_words(words[cut + 1:])


def _joined(words: list[Word]) -> str:
    """Words back into text: spaces between words, none between Chinese or Japanese characters."""
    text = ""
    for word in words:
        glue = "" if not text or (_is_cjk(text[-1]) and _is_cjk(word.text[0])) else " "
        text += glue + word.text
    return text


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"
