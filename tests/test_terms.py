"""Term detection on the real papers: the terms a careful reader lists (tests/expected/papers.yml)
are found, each with the page where the paper defines it, and the paper's own new terms are
quoted from their defining sentence without junk."""
from __future__ import annotations

import re

import pytest
import yaml

from builder.analyse.definitions import _abbreviation, find_definitions, paper_terms, paper_vocabulary, run_in_heading
from builder.analyse.glossary import TermMatcher, load_glossary
from builder.analyse.prominent_terms import YEAR
from builder.models import Passage

from conftest import REPO, parsed_paper

EXPECTED = yaml.safe_load((REPO / "tests" / "expected" / "papers.yml").read_text(encoding="utf-8"))
REQUIRED = ["Transformer", "self-attention", "multi-head attention", "positional encoding", "layer normalization",
            "residual connection", "causal mask", "tokenizer", "pre-training", "fine-tuning", "SFT",
            "instruction tuning", "RLHF", "reward model", "Bradley–Terry model", "PPO", "DPO", "KL divergence",
            "preference data", "LoRA", "NTK", "empirical NTK", "learning dynamics", "gradient descent",
            "cross-entropy", "softmax", "logits", "hallucination"]


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(load_glossary())


@pytest.fixture(scope="module")
def vocabularies(matcher):
    """slug -> (where each course term is defined, the paper's own terms), for all eight papers."""
    out = {}
    for slug, expected in EXPECTED.items():
        _, places, own = paper_vocabulary(parsed_paper(expected["file"]), matcher)
        out[slug] = ({d.term_id: d for d in places}, own)
    return out


def _expected_rows():
    return [(slug, row) for slug, data in EXPECTED.items() for row in data["terms"] if row.get("found_as")]


def _own_term(own, row):
    names = {row["term"].lower(), (row.get("match") or "").lower()}
    return next((d for d in own if d.name.lower() in names or (d.abbr and d.abbr.lower() in names)
                 or row["term"].lower().startswith(d.name.lower())), None)


def _found(vocabularies, slug, row):
    places, own = vocabularies[slug]
    return _own_term(own, row) if row["found_as"] == "new" else places.get(row["found_as"])


def test_course_glossary_has_the_required_terms_in_both_languages():
    glossary = load_glossary()
    matcher = TermMatcher(glossary)
    assert len(glossary) >= 80
    for name in REQUIRED:
        assert matcher.find(name), f"{name} is not in the course glossary"
    for term in glossary:
        assert term.definition and term.definition_zh and term.zh, term.id
        assert re.search(r"[\u4e00-\u9fff]", term.definition_zh), term.id


def test_terms_a_careful_reader_lists_are_found_in_every_paper(vocabularies):
    rows = _expected_rows()
    missing = [f"{slug}: {row['term']}" for slug, row in rows if _found(vocabularies, slug, row) is None]
    # Known misses come from paper ingestion, not term detection: attention.pdf's "We used the Adam
    # optimizer [20] with β1 = 0.9 ..." and its "Label Smoothing" paragraph are not kept as sentences.
    assert len(missing) <= 0.06 * len(rows), missing
    assert len(rows) >= 70


def test_each_term_is_defined_on_the_page_a_careful_reader_gives(vocabularies):
    checked, wrong = 0, []
    for slug, row in _expected_rows():
        found = _found(vocabularies, slug, row)
        if found is None or row["defined_page"] is None:
            continue
        checked += 1
        if found.page_no != row["defined_page"]:
            wrong.append(f"{slug}: {row['term']} on p{found.page_no} ({found.rule}), expected p{row['defined_page']}")
    assert checked >= 40
    assert len(wrong) <= 0.15 * checked, "\n".join(wrong)


def test_the_papers_own_names_are_quoted_with_their_sentence_and_page(vocabularies):
    places, own = vocabularies["qlora"]
    guanaco = next(d for d in own if d.name == "Guanaco")
    assert guanaco.page_no == 1 and "which we name Guanaco" in guanaco.sentence and guanaco.term_id is None
    _, own = vocabularies["instructgpt"]
    assert any(d.name == "PPO-ptx" and d.page_no == 9 and "We call these models" in d.sentence for d in own)
    places, _ = vocabularies["attention"]
    sdpa = places["scaled-dot-product-attention"]
    assert sdpa.page_no == 4
    places, _ = vocabularies["dpo"]
    assert places["dpo"].page_no == 4 and places["dpo"].rule == "section heading"
    assert places["sft"].sentence.startswith("SFT: RLHF typically begins")


def test_a_named_effect_joins_the_course_term_it_is(matcher):
    passage = Passage("s1", "Because the negative gradient pushes down the probability of every unlikely response "
                            "at once, we call this the squeezing effect.", 6, "4 Learning dynamics of DPO")
    (found,) = [d for d in find_definitions([passage], [], matcher) if d.name == "squeezing effect"]
    assert found.term_id == "squeezing-effect" and found.page_no == 6 and found.rule == "we call"


def test_abbreviation_definitions_skip_numbers_enumerations_tables_and_citations():
    for junk in ("1", "a", "ii", "Table 2", "Smith et al., 2020", "x", "2017", "3.5", "e.g. BERT base", "K = 2"):
        assert _abbreviation(junk) is None, junk
    assert _abbreviation("DPO") == "DPO"
    assert _abbreviation("PPO; [37]") == "PPO"
    assert _abbreviation("LMs") == "LM"
    assert _abbreviation("RLHF; Christiano et al., 2017") == "RLHF"


def test_no_paper_term_is_junk(vocabularies):
    for slug, (_, own) in vocabularies.items():
        assert own, slug
        for term in own:
            assert re.search(r"[A-Za-z]{2}", term.name), (slug, term.name)
            assert not re.search(r"\bet al\b|^(?:Table|Figure|Section|Eq)\b|[=∈√]", term.name), (slug, term.name)
            # a dated release ("o1-1217") is no term; a dataset's edition is ("CoNLL-2003", "CAIL2019-SCM")
            assert not (re.search(r"\d{4}", term.name) and not YEAR.search(term.name)), (slug, term.name)
            assert not re.fullmatch(r"[\d\s.,-]+", term.name), (slug, term.name)
            assert term.name.lower() not in {"a", "the", "this", "method", "model"}, (slug, term.name)
            assert term.sentence and term.page_no >= 1


def test_run_in_headings_are_recognised_but_sentences_are_not():
    assert run_in_heading("Reward Modelling Phase: In the second phase the SFT model is prompted") == \
        "Reward Modelling Phase"
    assert run_in_heading("Label Smoothing During training, we employed label smoothing") == "Label Smoothing"
    assert run_in_heading("Sequence training Sequence training was done on the DNN") == "Sequence training"
    assert run_in_heading("The Transformer follows this overall architecture") is None
    assert run_in_heading("We employ a residual connection around each of the two sub-layers") is None
    assert run_in_heading("As a consequence, in this limit, the dynamics are linear") is None  # not "As" twice
    assert run_in_heading("This raises the question: For a fixed budget") is None
    assert run_in_heading("Baselines We compare our models to both research and commercial") == "Baselines"


def test_a_longer_term_hides_the_shorter_term_inside_it(matcher):
    assert matcher.find("BERT uses a masked language model objective") == ["masked-language-model", "bert"]
    assert "language-model" not in matcher.find("a masked language model")
    assert matcher.find("the D.P.O. loss") == ["dpo"]
    assert matcher.find("see dpo.pdf") == []


def _singular_key(text: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in re.sub(r"[\s\-]+", " ", text.lower()).split())


def _covered(vocabularies, matcher, slug, row) -> bool:
    """Whether the pair's glossary links would reach the row's term: the course term it is, a
    course term by one of its names, or one of the paper's own terms ("expert capacity" covers
    "expert capacity factor", as a reader following the link finds it)."""
    places, own = vocabularies[slug]
    names = {row["term"], row.get("match") or ""} - {""}
    names |= set(re.findall(r"^(.*?)\s*\(([^)]+)\)$", row["term"])[0]) if "(" in row["term"] else set()
    keys = {_singular_key(n) for n in names}
    if row.get("found_as") not in (None, "new"):
        return row["found_as"] in places
    curated = {_singular_key(n) for term_id in places for t in [matcher.terms[term_id]]
               for n in (t.term, t.abbr, *t.aliases) if n}
    mine = {_singular_key(f) for d in own for f in (d.name, d.abbr) if f}
    return bool(keys & (curated | mine)) or any(k.startswith(m + " ") for k in keys for m in mine)


def test_most_key_terms_a_reader_lists_for_any_paper_get_a_glossary_entry(vocabularies, matcher):
    """Every row of tests/expected/papers.yml, the 12 newer papers' included (their rows are what a
    reader lists, not what the code finds): datasets, tools and phrases the paper never names are
    the hard part. 143 of 208 (69%) before the paper's italics, glossing dashes, "we call ... its X"
    and its capitalised names were read, 164 (79%) after; 169 (81%) with the paragraph heads in bold
    and compounds kept whole across a line break; 168 once the second line of BERT's appendix heading
    (its title again) was no longer read as a sentence using "bidirectional Transformer"; 170 (82%)
    with names in capitals and a number (CAIL2019-SCM, CoNLL-2003); 171 with what paragraph heads name,
    172 with a Greek letter joined to a word (φ-risk, ψ-transform)
    (BENCHMARKS.md, "Glossary coverage")."""
    rows = [(slug, row) for slug, data in EXPECTED.items() for row in data["terms"]]
    covered = [_covered(vocabularies, matcher, slug, row) for slug, row in rows]
    assert len(rows) >= 200
    assert sum(covered) / len(rows) >= 0.81, [f"{s}: {r['term']}" for (s, r), c in zip(rows, covered) if not c]


def test_a_phrase_glossed_between_dashes_is_the_papers_term_where_it_is_used_again(matcher):
    passages = [Passage("s1", "The KV block manager also maintains block tables—the mapping between logical and "
                              "physical KV blocks of each request.", 5, "4.2 KV Cache Manager"),
                Passage("s2", "Each block table entry records the physical blocks of a logical block.", 5, "4.2"),
                Passage("s3", "Our method—a simple one—works everywhere.", 6, "5 Results")]
    own = paper_terms(passages, find_definitions(passages, [], matcher))
    assert [(d.name, d.rule, d.page_no) for d in own] == [("block tables", "glossed", 5)]


def test_what_the_authors_say_they_call_something_is_its_name_even_one_plain_word(matcher):
    sentences = {"We call the number of French words that an English word produces in a given alignment its "
                 "fertility in that alignment.": "fertility",
                 "We call this effect distortion.": "distortion",
                 "We call this latter type of failure a search error.": "search error",
                 "We can see this by applying it to something that we call bag translation from English into "
                 "English.": "bag translation",
                 "We call the resulting models InstructGPT.": "InstructGPT"}
    for sentence, name in sentences.items():
        found = find_definitions([Passage("s1", sentence, 2, "3 Model")], [], matcher)
        assert [d.name for d in found] == [name], sentence


def test_a_period_inside_a_name_does_not_cut_it(matcher):
    sentences = {"In [171], an iterative procedure called robust-C4.5 is introduced.": "robust-C4.5",
                 "We call the resulting model Vicuna-1.5.": "Vicuna-1.5"}
    for sentence, name in sentences.items():
        found = find_definitions([Passage("s1", sentence, 2, "3 Model")], [], matcher)
        assert [d.name for d in found] == [name], sentence


def test_an_everyday_word_after_we_call_is_no_name(matcher):
    for sentence in ("We call upon the community to share their data.", "We call it time to stop training."):
        assert find_definitions([Passage("s1", sentence, 2, "5 Discussion")], [], matcher) == [], sentence


def test_a_finding_about_a_term_is_not_where_it_is_defined():
    """The example paper's DPO was "defined" by its conclusion's "We conclude that DPO is a simple
    and effective default ..."; a finding says what the paper found, not what the term is."""
    from builder.analyse.definitions import _says_what_it_is
    found = "We conclude that DPO is a simple and effective default for preference-based alignment."
    assert not _says_what_it_is(found, found.index("DPO"), found.index("DPO") + 3)
    defined = "DPO is a method that trains the policy directly on pairs of preferred and rejected responses."
    assert _says_what_it_is(defined, 0, 3)
    recalled = "Recall that a reward model is a network that scores a response."
    assert _says_what_it_is(recalled, recalled.index("reward model"), recalled.index("reward model") + 12)


def test_what_a_paragraph_head_names_is_a_term_though_the_body_uses_it_once_more(matcher):
    """Switch Transformers heads a paragraph "A Differentiable Load Balancing Loss." and uses the
    phrase once more; TDNN runs "Sequence training" into its first sentence. A phrase of the body
    used twice with no head stays out (three sentences are needed)."""
    from builder.analyse.prominent_terms import prominent_terms
    from builder.models.paper import Paper, PaperMeta
    passages = [Passage("s1", "A Differentiable Load Balancing Loss.", 7, "2.2 Routing"),
                Passage("s2", "The auxiliary load balancing loss keeps experts busy.", 7, "2.2 Routing"),
                Passage("s3", "Sequence training Sequence training was done on the DNN.", 3, "3.3 Training"),
                Passage("s4", "The warm restart schedule helps; a warm restart schedule is cheap.", 4, "4 Results"),
                Passage("s5", "We use a warm restart schedule.", 4, "4 Results")]
    paper = Paper("paper.pdf", 9, PaperMeta(), [], passages, [], [], [], leads=["A Differentiable Load Balancing Loss."])
    names = {d.name.lower() for d in prominent_terms(paper, passages, matcher, [])}
    assert {"load balancing loss", "sequence training"} <= names
    without_heads = Paper("paper.pdf", 9, PaperMeta(), [], passages[1:2] + passages[3:], [], [], [])
    assert not {d.name.lower() for d in prominent_terms(without_heads, passages[1:2] + passages[3:], matcher, [])}


def test_a_quantity_named_after_its_greek_symbol_is_a_term(matcher):
    """Convexity's φ-risk and ψ-transform, an RL paper's ε-greedy: a Greek letter joined to a word."""
    from builder.analyse.prominent_terms import _looks_coined, prominent_terms
    from builder.models.paper import Paper, PaperMeta
    assert _looks_coined("φ-risk") and _looks_coined("ψ-transform") and _looks_coined("ε-greedy")
    assert not _looks_coined("risk") and not _looks_coined("φ")
    passages = [Passage(f"s{i}", text, 3, "2 Results") for i, text in enumerate([
        "We define the ψ-transform of a loss function.", "The ψ-transform is convex.",
        "Every bound on the excess φ-risk holds.", "The φ-risk is minimised.", "Then the ψ-transform of φ-risk is small."])]
    paper = Paper("paper.pdf", 9, PaperMeta(), [], passages, [], [], [])
    assert {"φ-risk", "ψ-transform"} <= {d.name for d in prominent_terms(paper, passages, matcher, [])}
