"""Related pages and related glossary terms: every reason names terms both sides really share."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from builder.analyse.definitions import paper_vocabulary
from builder.analyse.glossary import TermMatcher, load_glossary
from builder.analyse.related import related_pairs, related_terms
from builder.write.crossrefs import relation_text
from builder.write.words import WORDS

from conftest import parsed_paper

SLUGS = ("dpo", "instructgpt", "tdnn", "rope")


@pytest.fixture(scope="module")
def used():
    """slug -> (term counts over the paper's sentences, term ids of each sentence)."""
    matcher = TermMatcher(load_glossary())
    out = {}
    for slug in SLUGS:
        passages, _, _ = paper_vocabulary(parsed_paper(f"{slug}.pdf"), matcher)
        rows = [set(matcher.find(p.text)) for p in passages]
        out[slug] = (Counter(t for row in rows for t in row), [r for r in rows if r])
    return out


def test_related_pages_name_terms_both_papers_really_use(used):
    glossary = {t.id: t for t in load_glossary()}
    by_label = {(t.abbr or t.term): t.id for t in glossary.values()}
    titles = {s: s.upper() for s in SLUGS}
    vectors = {s: [] for s in SLUGS}
    links = related_pairs(titles, vectors, {s: used[s][0] for s in SLUGS}, glossary)
    dpo = {link.slug: link for link in links["dpo"]}
    assert "instructgpt" in dpo
    assert {"RLHF", "PPO", "Reward model"} <= set(dpo["instructgpt"].shared_terms)
    for slug, found in links.items():
        for link in found:
            for name in link.shared_terms:
                term_id = by_label[name]
                assert used[slug][0][term_id] > 0 and used[link.slug][0][term_id] > 0, (slug, link.slug, name)


def test_related_pages_put_the_most_shared_terms_first(used):
    glossary = {t.id: t for t in load_glossary()}
    links = related_pairs({s: s for s in SLUGS}, {s: [] for s in SLUGS}, {s: used[s][0] for s in SLUGS}, glossary)
    first = links["dpo"][0]
    assert first.slug == "instructgpt"
    counts = [min(used["dpo"][0][i], used["instructgpt"][0][i])
              for i in ({(t.abbr or t.term): t.id for t in glossary.values()}[n] for n in first.shared_terms)]
    assert counts == sorted(counts, reverse=True)


def test_related_glossary_terms_say_why(used):
    glossary = load_glossary()
    ids = [t.id for t in glossary]
    vectors = np.eye(len(ids), dtype=np.float32)          # no two definitions alike: reasons from usage only
    related = related_terms(glossary, {s: used[s][1] for s in SLUGS}, {s: s for s in SLUGS}, vectors)
    reasons = {other: relation_text(why) for other, why in related["dpo"]}
    assert "listed as related in the course glossary" in reasons["bradley-terry-model"]
    together = [(other, why) for other, why in reasons.items() if "used together" in why]
    assert together
    for other, why in together:
        in_same_sentence = sum(1 for slug in SLUGS for row in used[slug][1] if {"dpo", other} <= row)
        assert f"used together in {in_same_sentence} sentences" in why, (other, why)
    definitions = np.eye(len(ids), dtype=np.float32)      # unit rows; two of them at cosine 0.8
    definitions[ids.index("empirical-ntk")] = 0.8 * definitions[ids.index("ntk")] + 0.6 * definitions[ids.index("empirical-ntk")]
    alike = dict(related_terms(glossary, {}, {}, definitions)["ntk"])
    assert "similar definitions (0.80)" in relation_text(alike["empirical-ntk"])
    assert "定义相近（0.80）" in relation_text(alike["empirical-ntk"], WORDS["zh"])


def test_related_pages_rank_shared_terms_plus_similarity_and_keep_the_best_five():
    glossary = {t.id: t for t in load_glossary()}
    ids = sorted(glossary)[:3]
    base = np.eye(8)
    vectors = {"a": list(base[0]), "close": list(base[0] + 0.1 * base[1]), "far": list(base[2]), "none": []}
    vectors |= {f"t{i}": list(base[3 + i % 4]) for i in range(6)}
    terms = {slug: Counter() for slug in vectors}
    terms["a"] = Counter({ids[0]: 5, ids[1]: 2})
    for i in range(6):
        terms[f"t{i}"] = Counter({ids[0]: 1} if i < 5 else {ids[0]: 1, ids[1]: 1})
    terms["none"] = Counter({ids[0]: 3, ids[1]: 3, ids[2]: 3})
    links = related_pairs({s: s.upper() for s in vectors}, vectors, terms, glossary)
    found = [link.slug for link in links["a"]]
    assert found[:2] == ["none", "t5"]                 # two shared terms come before one
    assert "far" not in found and len(found) == 5      # nothing shared, not similar: no link; five at most
    assert links["close"][0].slug == "a" and links["close"][0].score > 0.9   # similar, no term shared
    assert all(link.score == 0.0 for link in links["none"])                  # no vector: linked by terms only
