"""The report says where the paper defines each term and which talk moment explains which section;
the talk notes name the paper section and page; the glossary lists the defining page first."""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.analyse.definitions import paper_vocabulary
from builder.analyse.glossary import TermMatcher, load_glossary
from builder.models import Chapter, ChapterAlignment, PairAnalysis, PairConfig, PairResult, PairSource, Segment, \
    TalkPoint, TermRelation, Transcript
from builder.write.pages import write_glossary, write_talk
from builder.write.report import write_report
from builder.check.validate import validate_markdown

from conftest import PAPERS, parsed_paper


@pytest.fixture(scope="module")
def tdnn_pair():
    """The TDNN paper with a two-chapter talk whose second chapter (at 95 s) explains §3.1."""
    glossary = load_glossary()
    matcher = TermMatcher(glossary)
    paper = parsed_paper("tdnn.pdf")
    passages, definitions, own = paper_vocabulary(paper, matcher)
    subsampling = next(p for p in passages if p.section.startswith("3.1"))
    segments = [Segment(0.0, 90.0, "Today I talk about time delay neural networks for speech recognition.", []),
                Segment(95.0, 180.0, subsampling.text, [])]
    chapters = [Chapter(0, 0.0, 95.0, "TDNN", [TalkPoint(0.0, segments[0].text)]),
                Chapter(1, 95.0, 180.0, "Sub-sampling", [TalkPoint(95.0, segments[1].text)])]
    alignments = [ChapterAlignment(1, subsampling.section, subsampling.page_no, 0.8)]
    analysis = PairAnalysis(term_uses=matcher.in_passages(passages) + matcher.in_segments(segments),
                            chapters=chapters, alignments=alignments, supplements=[], paper_vector=[],
                            definitions=definitions, paper_terms=own)
    source = PairSource("tdnn", Path("sources/tdnn"), PAPERS / "tdnn.pdf", Path("talk.mp4"), PairConfig())
    result = PairResult(source, paper, Transcript("talk.mp4", 180.0, "en", "tiny.en", segments), analysis)
    return result, {t.id: t for t in glossary}, glossary, subsampling


def test_report_quotes_the_defining_sentence_and_the_talk_moment(tdnn_pair):
    result, by_id, _, subsampling = tdnn_pair
    report = write_report(result, by_id, "talk.mp4")
    assert "**Paper sections the talk explains:**" in report
    explained = [l for l in report.splitlines() if l.startswith("- **§3.1")]
    assert explained and "explained in the talk at [01:35](talk.mp4#t=95)" in explained[0]
    assert f"(paper.pdf#page={subsampling.page_no})" in explained[0]
    tdnn = next(l for l in report.splitlines() if l.startswith("**In this paper**") and "TDNN" in l)
    assert "(paper.pdf#page=" in tdnn
    assert "### Terms this paper names" in report and "sMBR" in report
    check = validate_markdown(report, result.paper.page_count, 180.0, set(by_id))
    assert check.ok, check.problems


def test_talk_notes_name_the_paper_section_and_page(tdnn_pair):
    result, by_id, _, subsampling = tdnn_pair
    talk = write_talk(result, "talk.mp4", "talk.vtt", by_id)
    line = next(l for l in talk.splitlines() if "explains paper" in l)
    assert "explains paper §3.1. Sub-sampling" in line and f"page={subsampling.page_no}" in line


def test_glossary_lists_the_defining_page_first_with_its_sentence(tdnn_pair):
    result, by_id, glossary, _ = tdnn_pair
    from builder.analyse.named_terms import with_named_terms
    (result,) = with_named_terms([result], glossary)
    page = write_glossary(glossary, [result], related={"time-delay-neural-network": [("speech-recognition", TermRelation(listed=True))]},
                          named=result.named_terms)
    entry = page.split("{ #time-delay-neural-network }", 1)[1].split("\n## ", 1)[0]
    place = next(l for l in entry.splitlines() if l.startswith("- [A time delay"))
    defined = next(d for d in result.analysis.definitions if d.term_id == "time-delay-neural-network")
    assert place.index(f"defined on [p.&nbsp;{defined.page_no}]") < place.index("also")
    assert ("*Related:* [Speech recognition (ASR)](#speech-recognition) (listed as related in the course glossary)"
            in entry.replace("\\", ""))
    smbr = next(t for t in result.named_terms if "sMBR" in (t.name, t.abbr))
    assert f"{{ #{smbr.id} }}" in page and "*Named in* [A time delay" in page


def test_what_the_talk_adds_is_shown_under_its_chapter_on_the_talk_page_and_in_the_report(tdnn_pair):
    from dataclasses import replace

    from builder.models import Supplement
    result, by_id, _, _ = tdnn_pair
    remark = Supplement(0, 30.0, "In my lab we ran this on <b>phones</b> & it *worked*.", 0.21)
    result = replace(result, analysis=replace(result.analysis, supplements=[remark]))
    talk = write_talk(result, "talk.mp4", "talk.vtt", by_id)
    first, second = talk.index("### 1. TDNN"), talk.index("### 2. Sub")
    adds = talk.index("**What the talk adds here**")
    assert first < adds < second
    line = next(l for l in talk.splitlines() if "phones" in l)
    assert line.startswith("- [00:30](talk.mp4#t=30)") and "<b>" not in line
    report = write_report(result, by_id, "talk.mp4")
    part4 = report[report.index("## 4. Video supplementary points"):]
    assert "### TDNN ([00:00](talk.mp4#t=0))" in part4
    assert "<b>" not in next(l for l in part4.splitlines() if "phones" in l)
