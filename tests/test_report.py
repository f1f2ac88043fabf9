"""Reading reports for every real paper: all parts there, every quoted sentence anchored to the page
it is printed on, and the length inside the target."""
from __future__ import annotations

import re

import pytest

from builder.config import CourseSettings
from builder.pipeline import build_course
from builder.analyse.glossary import load_glossary
from builder.write.markdown import escape_md
from builder.write.report import LengthTarget, centrality, choose_summary, report_length, tidy
from builder.check.course import published_anchors
from builder.check.validate import validate_markdown
from conftest import PAPERS, SPEECH, course_root, make_pair, parsed_paper, with_plugin_options

NAMES = sorted(p.stem for p in PAPERS.glob("*.pdf"))
PARTS = ["## 1. Basic information", "## 2. Core summary", "## 3. Key techniques", "## 4. Video supplementary points",
         "## 5. Summary and takeaways for a beginner"]


@pytest.fixture(scope="module")
def built_reports(tmp_path_factory, shared_cache):
    """Every real paper with the same real speech clip. Each pair.yml says the talk is in English,
    as a course may: the reports are what these tests read, and hearing the language of the same
    clip twenty times over costs about half a minute (9 s over 5 of these pairs, measured). The
    course gives whisper no paper vocabulary, so the clip is transcribed once, not once per paper
    (80 s of this fixture's 430 s of CPU before)."""
    root = course_root(tmp_path_factory.mktemp("reports"))
    for name in NAMES:
        make_pair(root / "sources", name, PAPERS / f"{name}.pdf", SPEECH / "jfk.flac", "language: en\n")
    with_plugin_options(root / "mkdocs.yml", talk_vocabulary="none")
    settings = CourseSettings.for_root(root, cache_dir=shared_cache)
    summary = build_course(settings)
    assert sorted(summary.built) == NAMES, summary.failed
    assert len(summary.ran("talk")) == 1   # one talk file, no paper in its key
    assert summary.ran("vocabulary") == []   # and no vocabulary made for it
    return root, {name: ((root / "content" / name / "report.md").read_text(encoding="utf-8"),
                         parsed_paper(f"{name}.pdf")) for name in NAMES}


@pytest.fixture(scope="module")
def reports(built_reports):
    return built_reports[1]


@pytest.fixture(scope="module")
def glossary_ids(built_reports):
    """The entries the course's glossary page has: the curated ones and those its papers name."""
    return {t.id for t in load_glossary()} | published_anchors(built_reports[0] / "content" / "glossary.md")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_report_has_all_parts_in_order_and_the_default_length(reports, name):
    report, _ = reports[name]
    positions = [report.find(part) for part in PARTS]
    assert -1 not in positions and positions == sorted(positions)
    words = report_length(report.split("<!-- coursewiki:generated")[0])
    assert 2000 <= words <= 3000, f"{name}: {words} words"


PAGE_ANCHOR = re.compile(r"\[p\.&nbsp;(\d+)\]\(paper\.pdf#page=\1\)")


def _letters(text: str) -> str:
    import unicodedata
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", text).lower())


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_quoted_paper_sentence_carries_the_page_it_is_printed_on(reports, glossary_ids, name):
    """Every paper sentence in the report is followed by a page anchor, and the page it names really
    prints that sentence (checked against the PDF's own text, not against our extraction)."""
    import pymupdf
    report, paper = reports[name]
    with pymupdf.open(PAPERS / f"{name}.pdf") as doc:
        printed = [_letters(page.get_text().replace("-\n", "")) for page in doc]
    lines = [line for line in report.splitlines() if not line.startswith("|")]  # the metadata table cites fields
    unanchored = [p.text for p in paper.passages for line in lines if escape_md(tidy(p.text)) in line
                  and "[p.&nbsp;" not in line.split(escape_md(tidy(p.text)), 1)[1]]
    assert unanchored == []
    checked = 0
    for line in lines:
        pieces = PAGE_ANCHOR.split(line)  # text, page, text, page, ...
        for text, page in zip(pieces[0::2], pieces[1::2]):
            sentence = re.sub(r"\\(.)", r"\1", text).split("“")[-1].split(":** ")[-1].lstrip("- ")
            letters = _letters(sentence)
            if len(letters) < 40:
                continue
            checked += 1
            on_page = printed[int(page) - 1]
            # the page where the sentence starts: its opening is printed there, or (when it runs
            # over a page break, or opens with a tidied connective) its end is, there or overleaf
            overleaf = printed[int(page)] if int(page) < len(printed) else ""
            assert letters[:30] in on_page or letters[-30:] in on_page + overleaf, (page, sentence)
    assert checked >= 20
    check = validate_markdown(report, paper.page_count, 11.0, glossary_ids)
    assert check.ok, check.problems


@pytest.mark.slow
def test_summary_sentences_are_distinct_and_central_ones_come_first(reports):
    _, paper = reports["dpo"]
    chosen = choose_summary(paper, 3, centrality(paper.passages))
    texts = [p.text for ps in chosen.values() for p in ps]
    assert len(texts) == len(set(texts)) and len(texts) >= 8
    assert any("preference" in p.text.lower() for p in chosen["Research goal"] + chosen["Method"])


def test_connectives_that_point_back_are_dropped_but_the_claim_is_kept():
    assert tidy("However, the model overfits quickly.") == "The model overfits quickly."
    assert tidy("However the results hold.") == "However the results hold."
    assert tidy("In addition, we train a reward model.") == "We train a reward model."


def test_length_targets_parse_words_or_chinese_characters():
    assert LengthTarget.parse("1500-2500") == LengthTarget(1500, 2500, "words")
    assert LengthTarget.parse("3000-5000", "zh").unit == "characters"
    assert report_length("直接偏好优化 DPO [p.&nbsp;3](paper.pdf#page=3)", "characters") == 6 + 1 + 2
    with pytest.raises(ValueError):
        LengthTarget.parse("3000-2000")
    assert re.search("words", str(LengthTarget()))


def test_a_run_in_heading_is_set_apart_as_a_label_so_the_quote_reads_as_one_sentence():
    from builder.models import Passage
    from builder.write.report import quote_passage
    label = quote_passage(Passage("s1", "Label Smoothing During training, we employed label smoothing of value 0.1.", 8,
                                  "5.4 Regularization"))
    assert label == "**Label Smoothing:** During training, we employed label smoothing of value 0.1. " \
                    "[p.&nbsp;8](paper.pdf#page=8)"
    joined = quote_passage(Passage("s2", "EFT augmentation improves over SFT baseline Firstly, we find that it helps.",
                                   6, "4 Results"))
    assert joined.startswith("**EFT augmentation improves over SFT baseline:** Firstly, we find")
    for sentence in ("As a consequence, in this limit, the dynamics are linear.",
                     "This raises the question: For a fixed budget, which model is best?",
                     "See Table 1 for detailed architectures of every model."):
        assert not quote_passage(Passage("s3", sentence, 2, "3 Method")).startswith("**"), sentence


def test_the_summary_leaves_out_the_papers_plan_of_itself():
    """"The rest of this paper is structured as follows", "Section VIII discusses ...": where things
    are, not the paper's goal or findings (four of the shared papers had one in their summary)."""
    from builder.write.report import ROADMAP
    for name in ("convexity", "noisysurvey", "statmt", "instructgpt"):
        paper = parsed_paper(f"{name}.pdf")
        chosen = choose_summary(paper, 3, centrality(paper.passages))
        front = [p.text for part in ("Research goal", "Method", "Main findings") for p in chosen[part]]
        assert front and not [text for text in front if ROADMAP.search(text)], name
    assert not ROADMAP.search("Third, label noise-tolerant methods described in Section VII impose constraints.")


def test_the_conclusions_come_from_the_papers_own_conclusion_not_a_sections_discussion():
    # safetyllama's appendix has "D.5 Discussion on why we ...", noisysurvey's sections each end with
    # a "Discussion"; instructgpt's "5 Discussion" holds its sentences in subsections
    for name, top in (("safetyllama", "5 Conclusion"), ("noisysurvey", "IX. Conclusion"), ("instructgpt", "5 Discussion")):
        paper = parsed_paper(f"{name}.pdf")
        conclusions = choose_summary(paper, 3, centrality(paper.passages))["Conclusions"]
        assert conclusions, name
        assert all(p.section == top or p.section.startswith(top.split()[0].rstrip(".") + ".") for p in conclusions), \
            (name, [p.section for p in conclusions])


def test_names_that_hold_commas_are_listed_with_semicolons_in_the_basic_information():
    from builder.write.report import _listed
    assert _listed(["Department of Computer Science, University of Helsinki, Finland", "Academia Sinica, Taiwan"]) \
        == "Department of Computer Science, University of Helsinki, Finland; Academia Sinica, Taiwan"
    assert _listed(["Hannah Weiß", "Li Qiang"]) == "Hannah Weiß, Li Qiang"
