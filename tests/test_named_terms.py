"""The glossary grows with the course: the terms its papers name or use most become entries, quoted
from the paper, linked from every report that uses them; the curated terms no pair uses are
folded away."""
from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest

from builder.analyse.definitions import paper_vocabulary
from builder.analyse.glossary import TermMatcher, load_glossary
from builder.analyse.named_terms import uses_pattern, with_named_terms
from builder.analyse.prominent_terms import FILLER, MAX_TERMS, VAGUE
from builder.check.validate import validate_markdown
from builder.models import PairAnalysis, PairConfig, PairResult, PairSource, Segment, Transcript
from builder.write.pages import write_glossary
from builder.write.report import write_report
from builder.write.site import abbreviations

from conftest import PAPERS, parsed_paper

ALL_PAPERS = sorted(p.name for p in PAPERS.glob("*.pdf"))


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


def paper_only_pair(slug: str, file_name: str, glossary) -> PairResult:
    """A pair of a real paper with a one-sentence talk: what the glossary reads of a built pair."""
    matcher = TermMatcher(glossary)
    paper = parsed_paper(file_name)
    passages, definitions, own = paper_vocabulary(paper, matcher)
    segments = [Segment(0.0, 5.0, "Today I present this paper.", [])]
    analysis = PairAnalysis(term_uses=matcher.in_passages(passages), chapters=[], alignments=[], supplements=[],
                            paper_vector=[], definitions=definitions, paper_terms=own)
    source = PairSource(slug, Path(f"sources/{slug}"), PAPERS / file_name, Path("talk.mp4"), PairConfig())
    return PairResult(source, paper, Transcript("talk.mp4", 5.0, "en", "tiny.en", segments), analysis)


@pytest.fixture(scope="module")
def course(glossary):
    """Three real papers: two that both use LLaMA and ChatGPT (QLoRA, the safety-tuning paper) and
    one that names its own method (Co-teaching)."""
    pairs = [paper_only_pair("coteaching", "coteaching.pdf", glossary), paper_only_pair("qlora", "qlora.pdf", glossary),
             paper_only_pair("safetyllama", "safetyllama.pdf", glossary)]
    return {r.source.slug: r for r in with_named_terms(pairs, glossary)}


def test_a_term_two_papers_use_is_one_entry_listing_both(course):
    llama = [t for r in course.values() for t in r.named_terms if t.name == "LLaMA"]
    assert llama and all(t is llama[0] or t == llama[0] for t in llama)
    entry = llama[0]
    assert entry.slug == "qlora" and "LLaMA" in entry.sentence
    assert [slug for slug, _ in entry.used_in] == ["qlora", "safetyllama"]
    assert all(pages for _, pages in entry.used_in)


def test_the_glossary_has_an_entry_per_named_term_quoted_with_its_page(course, glossary):
    named = sorted({t.id: t for r in course.values() for t in r.named_terms}.values(), key=lambda t: t.name.casefold())
    page = write_glossary(glossary, list(course.values()), named=named)
    co = next(t for t in named if t.name == "Co-teaching")
    entry = page.split(f"{{ #{co.id} }}", 1)[1].split("\n## ", 1)[0]
    assert "*Named in* [Co-teaching: Robust Training" in entry and f"(coteaching/paper.pdf#page={co.page_no})" in entry
    assert "- [Co-teaching: Robust Training" in entry
    llama = next(t for t in named if t.name == "LLaMA")
    entry = page.split(f"{{ #{llama.id} }}", 1)[1].split("\n## ", 1)[0]
    assert "(qlora/report.md)" in entry and "(safetyllama/report.md)" in entry


def test_the_glossary_lists_what_the_course_uses_and_folds_the_rest_away(course, glossary):
    page = write_glossary(glossary, list(course.values()))
    used = {u.term_id for r in course.values() for u in r.analysis.term_uses}
    headed = set(re.findall(r"^## .* \{ #([\w-]+) \}$", page, re.M))
    assert headed - {"other-course-terms"} == used
    folded = page[page.index("## Other course terms"):]
    assert '??? note "Show the' in folded
    for term in glossary:
        if term.id not in used:
            assert f"    {{: #{term.id} }}" in folded, term.id  # its anchor stays for links between terms


def test_each_report_links_its_named_terms_and_those_other_papers_name(course, glossary):
    by_id = {t.id: t for t in glossary}
    report = write_report(course["safetyllama"], by_id, "talk.mp4")
    llama = next(t for t in course["safetyllama"].named_terms if t.name == "LLaMA")
    assert f"(../glossary.md#{llama.id})" in report
    own = [t for t in course["safetyllama"].named_terms if t.slug == "safetyllama"]
    assert own and all(f"(../glossary.md#{t.id})" in report for t in own)
    ids = set(by_id) | {t.id for t in course["safetyllama"].named_terms}
    check = validate_markdown(report, course["safetyllama"].paper.page_count, 5.0, ids)
    assert check.ok, check.problems
    assert not validate_markdown(report, course["safetyllama"].paper.page_count, 5.0, set(by_id)).ok


def test_a_named_abbreviation_gets_a_tooltip_and_a_curated_one_keeps_its_own(course, glossary):
    named = [t for r in course.values() for t in r.named_terms]
    lnl = next(t for t in named if t.abbr == "LNL")
    text = abbreviations(glossary, named)
    assert f"*[LNL]: {lnl.name}: " in text and "(p. " in text
    dpo = next(t for t in glossary if t.abbr == "DPO")
    assert text.count("*[DPO]:") == 1 and f"*[DPO]: {dpo.term}" in text


@pytest.mark.parametrize("file_name, term", [("vllm.pdf", "PagedAttention"), ("resnet.pdf", "residual learning"),
                                             ("deepseekr1.pdf", "cold-start data"), ("alphago.pdf", "self-play"),
                                             ("rope.pdf", "CAIL2019-SCM"), ("glove.pdf", "CoNLL-2003")])
def test_a_term_the_paper_uses_most_without_naming_it_is_quoted_where_first_used(glossary, file_name, term):
    _, _, own = paper_vocabulary(parsed_paper(file_name), TermMatcher(glossary))
    found = next((d for d in own if d.name.lower() in (term.lower(), term.lower() + "s")), None)
    assert found is not None, [d.name for d in own]
    assert found.rule == "first use" and re.search(re.escape(term.split()[0]), found.sentence, re.I)


@pytest.mark.parametrize("file_name", ALL_PAPERS)
def test_no_term_the_paper_uses_most_is_filler_a_person_or_a_course_term(glossary, file_name):
    paper = parsed_paper(file_name)
    _, _, own = paper_vocabulary(paper, TermMatcher(glossary))
    people = {w.casefold() for name in ("authors", "affiliations") for entry in paper.meta.value(name) or []
              for w in re.findall(r"[\w-]+", str(entry))}
    curated = {n.casefold() for t in glossary for n in (t.term, t.abbr, *t.aliases) if n}
    prominent = [d for d in own if d.rule == "first use"]
    assert len(prominent) <= MAX_TERMS
    for term in prominent:
        words = term.name.lower().split()
        assert not all(w in FILLER or w in VAGUE for w in words), term.name
        assert term.name.casefold() not in people and term.name.casefold() not in curated, term.name
        assert term.name != term.name.lower() or not words[-1].endswith(("ly", "ed")), term.name   # TACRED is a name
        assert uses_pattern(term.name, None).search(term.sentence), (term.name, term.sentence)


def _one_page_paper(path: Path, title: str, heading: str, runs: list[list[tuple[str, str]]],
                    sentences: list[str]) -> Path:
    """A one-page paper: its title and an author, one numbered heading, lines made of runs of
    text in Times fonts ("tiro" roman, "tiit" italic, "tibo" bold), then plain sentences twice."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 80), title, fontsize=18, fontname="tibo")
    page.insert_text((72, 110), "Ada Example", fontsize=11)
    page.insert_text((72, 150), heading, fontsize=12, fontname="tibo")
    y = 175
    for line in runs:
        x = 72
        for text, font in line:
            page.insert_text((x, y), text, fontsize=10, fontname=font)
            x += pymupdf.get_text_length(text, fontname=font, fontsize=10)
        y += 13
    for sentence in sentences * 2:
        page.insert_text((72, y), sentence, fontsize=10, fontname="tiro")
        y += 13
    doc.save(path)
    return path


def _paper_with_italics(path: Path) -> Path:
    """A paper whose body sets two terms in italics where it introduces them, one of them broken
    over two lines ("copy-on-" / "write"), a variable x in italics as maths is, and a theorem
    in italics whose words are no term for being in it ("request queue")."""
    runs = [[("Memory is lost to ", "tiro"), ("internal fragmentation", "tiit"), (" when a request reserves more.", "tiro")],
            [("We share blocks with ", "tiro"), ("copy-on-", "tiit")],
            [("write", "tiit"), (" and keep a variable ", "tiro"), ("x", "tiit"), (" for the count.", "tiro")],
            [("Theorem 1. ", "tibo"), ("Under mild assumptions every request queue keeps its order.", "tiit")]]
    return _one_page_paper(path, "Paging for Serving Systems", "1 Introduction", runs,
                           ["Internal fragmentation grows with the block size of the system.",
                            "The scheduler measures internal fragmentation for every request it serves.",
                            "Without paging, internal fragmentation wastes most of the memory.",
                            "Copy-on-write lets two sequences share one block until one of them writes.",
                            "The block engine applies copy-on-write to the last block only.",
                            "With copy-on-write, beam search shares most of its memory.",
                            "The request queue holds what waits for memory."])


def test_what_the_body_sets_in_italics_is_read_and_becomes_a_term_the_paper_uses(tmp_path, glossary):
    from builder.ingest.paper import ingest_paper
    paper = ingest_paper(_paper_with_italics(tmp_path / "paper.pdf"))
    assert "internal fragmentation" in paper.emphasised and "copy-on-write" in paper.emphasised
    assert "x" not in paper.emphasised   # a variable is no run of words
    _, _, own = paper_vocabulary(paper, TermMatcher(glossary))
    names = {d.name.lower() for d in own if d.rule == "first use"}
    assert {"internal fragmentation", "copy-on-write"} <= names, names
    assert "request queue" not in names   # set in italics only inside a whole italic sentence


def test_a_dataset_written_as_a_capitalised_word_is_a_term_but_a_cited_author_is_not():
    from builder.analyse.prominent_terms import _proper_names
    from builder.models import Passage
    texts = ["Our system is trained on the Switchboard corpus of telephone speech.",
             "Results on the Switchboard test set improve by two points.",
             "We compare with the recipe of Kaldi and report Switchboard numbers.",
             "As noted by Narasimhan, the decoder needs the Switchboard lexicon.",
             "This follows Hinton et al. closely, and Hinton et al. did the same.",
             "It was also seen by Hinton et al. on a larger corpus.",
             "The decoder of Narasimhan uses a larger beam.", "A lexicon as large as Narasimhan used helps.",
             "See Eqn. 3 for the bound.", "The loss of Eqn. 4 is convex.", "Then Eqn. 5 follows."]
    body = [Passage(f"s{i}", text, 2, "3 Experiments") for i, text in enumerate(texts)]
    references = ["Alec Radford, Karthik Narasimhan, Tim Salimans. Improving language understanding. 2018."]
    found = _proper_names(body, references, people={"example"})
    assert set(found.values()) == {"Switchboard"}


def _paper_with_bold_heads(path: Path) -> Path:
    """A paper whose paragraphs open with a head in bold ("Load Balancing Loss." then roman text),
    one line wholly in bold (a heading, no paragraph head), and a bold word inside a sentence."""
    runs = [[("Load Balancing Loss.", "tibo"), (" We add a loss that spreads tokens over the experts.", "tiro")],
            [("Expert Capacity.", "tibo"), (" Each expert takes a fixed number of tokens.", "tiro")],
            [("Every router is trained jointly with the experts.", "tibo")],
            [("the ", "tiro"), ("router", "tibo"), (" picks one expert for each token.", "tiro")]]
    return _one_page_paper(path, "Routing Tokens to Experts", "1 Method", runs,
                           ["The load balancing loss is small when every expert gets as many tokens.",
                            "Without the load balancing loss a few experts take most of the tokens.",
                            "We weigh the load balancing loss by a small factor.",
                            "The router sends each token to the expert with the highest score."])


def test_a_paragraph_head_in_bold_is_read_and_names_a_term_the_paper_uses(tmp_path, glossary):
    from builder.ingest.paper import ingest_paper
    paper = ingest_paper(_paper_with_bold_heads(tmp_path / "paper.pdf"))
    assert paper.leads == ["Load Balancing Loss.", "Expert Capacity."]   # no bold line, no bold word in a sentence
    _, _, own = paper_vocabulary(paper, TermMatcher(glossary))
    assert "load balancing loss" in {d.name.lower() for d in own if d.rule == "first use"}


def test_a_bold_font_without_the_bold_flag_is_bold():
    from builder.ingest.pdf_layout import _is_bold
    for font in ("NimbusRomNo9L-Medi", "CMBX10", "Times-Bold", "Helvetica-Semibold"):
        assert _is_bold({"flags": 4, "font": font}), font
    for font in ("NimbusRomNo9L-Regu", "CMR10", "Times-Roman", "Medium-Italic"):
        assert not _is_bold({"flags": 4, "font": font}), font


def test_a_phrase_that_starts_like_a_known_term_is_no_known_term_with_filler():
    from builder.analyse.prominent_terms import _known_plus_vague
    assert not _known_plus_vague("residual network", {"residual net": "residual nets"})   # not "residual net" + "work"
    assert _known_plus_vague("deep neural network", {"neural network": "neural networks"})


def test_a_name_with_a_word_of_its_own_is_a_term_but_a_name_with_a_vague_word_is_not():
    from builder.analyse.prominent_terms import _category_of, _vague_around
    assert _vague_around("InstructGPT", "InstructGPT model") and not _vague_around("LLM", "LLM serving")
    assert _vague_around("matrix factorization", "factorization methods")
    assert _category_of("matrix factorization", "matrix factorization methods")
    assert not _category_of("harmfulness reward", "harmfulness reward model")   # one thing, a better term


def test_a_name_in_capitals_with_a_number_is_coined_but_a_dated_release_is_not():
    """Datasets, models and number formats written in capitals with a number (CIFAR-10, SST-2,
    CAIL2019-SCM, FP16) are names as PagedAttention is; four digits that are no year date a release
    ("o1-1217")."""
    from builder.analyse.prominent_terms import YEAR, _looks_coined
    assert all(_looks_coined(w) for w in ("CIFAR-10", "SST-2", "CAIL2019-SCM", "FP16", "GPT-4", "VGG-16"))
    assert not any(_looks_coined(w) for w in ("A100", "GPUs", "E2", "2019", "Co-Teaching"))
    assert YEAR.search("CoNLL-2003") and YEAR.search("CAIL2019-SCM") and not YEAR.search("o1-1217")


def test_an_abbreviation_the_paper_spells_out_otherwise_is_no_use_of_the_course_term():
    """noisysurvey.pdf's "reduced nearest neighbors (RNN)" and "condensed nearest neighbors (CNN)"
    are no recurrent or convolutional networks; tdnn.pdf's RNN is the course's."""
    from builder.analyse.definitions import paper_matcher
    matcher = TermMatcher(load_glossary())
    survey = paper_matcher(parsed_paper("noisysurvey.pdf"), matcher)
    rule = "For example, the reduced nearest neighbors (RNN) rule successively removes instances."
    assert matcher.find(rule) == ["recurrent-neural-network"] and survey.find(rule) == []
    assert survey.find("A recurrent neural network reads the sequence.") == ["recurrent-neural-network"]
    assert paper_matcher(parsed_paper("tdnn.pdf"), matcher).find("an RNN") == ["recurrent-neural-network"]
    _, places, _ = paper_vocabulary(parsed_paper("noisysurvey.pdf"), survey)
    assert not {"recurrent-neural-network", "convolutional-neural-network"} & {d.term_id for d in places}


def test_a_run_in_heading_in_a_quoted_naming_sentence_is_set_apart_as_its_label(glossary):
    """TDNN's "Sequence training Sequence training was done ..." is quoted as the report quotes it:
    "**Sequence training:** Sequence training was done ...", not as one sentence saying it twice."""
    from builder.models import NamedTerm
    term = NamedTerm("sequence-training", "Sequence training", None, "tdnn",
                     "Sequence training Sequence training was done on the DNN, based on a state-level variant of "
                     "the Minimum Phone Error (MPE) criterion, called sMBR [19].", 3, (("tdnn", (3,)),))
    page = write_glossary(glossary, [], named=[term])
    assert "“**Sequence training:** Sequence training was done on the DNN" in page
    assert "Sequence training Sequence training" not in page
