"""The paper's vocabulary, ranked, for paper-aware transcription of its talk.

A small speech model mishears exactly the words a talk about a paper needs most: the names the
paper prints ("Llama 2" heard as "added to", "AlpacaEval" as "L-packer"), its abbreviations and
the long forms it spells out. Whisper can be primed with up to ~224 prompt tokens (`hotwords`,
`initial_prompt`), so the terms are ranked: the paper's title (and the name before its colon),
names on the talk's slides when known, then every name the paper's body prints, most printed
first (an abbreviation followed by its long form), then its section titles. Only text the paper
prints goes in; the appendix, the reference list and cited or authors' names stay out, and so does
a phrase of everyday English words ("related work"), which whisper hears untold. Measured in
benchmarks/paper_aware_asr.py and benchmarks/talk_pair.py (BENCHMARKS.md).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from wordfreq import zipf_frequency

from ..models.paper import Paper
from .definitions import NOT_A_NAME, SKIP_SECTIONS, _in_appendix, find_definitions
from .glossary import TermMatcher

# A name as papers print it: "AlpacaEval", "IMDb", "GPT-4", "PPO", "Bradley-Terry", "Llama 2", "TL;DR",
# "LLaMA", "mT5".
NAME = re.compile(
    r"(?<![\w-])(?:"
    r"[A-Z][a-z]+[A-Z][\w]*(?:-[\w]+)*(?:\s\d+(?:\.\d+)?(?![\w.]))?"       # AlpacaEval 2, ComfyUI, RoBERTa
    r"|[A-Z]{2,}[a-z](?![\w-])"                                              # IMDb, LLMs (plural: LLM)
    r"|[A-Z]{2,}[a-z]+(?:[A-Z][A-Za-z0-9]*)?(?:-[\w.]*\w)*"                  # LLaMA, XLNet, LLaMA-2
    r"|[a-z]{1,2}[A-Z][A-Za-z0-9]+(?:-[\w.]*\w)*"                            # mT5, iVector, fMLLR, mBERT
    r"|[A-Z][A-Z0-9]+(?:[;:][A-Z]{2,})?(?:-[\w.]*\w)*"                      # PPO, GPT-4, TL;DR, T5-XXL
    r"|[A-Z][a-z]+(?:-[A-Z][a-z]+)+"                                        # Bradley-Terry
    r"|[A-Z][a-z]{2,}\s\d+(?:\.\d+)?(?![\w.])"                              # Llama 2, Pythia 2.8
    r"|[a-z]+\d+[a-z]+(?:-[\w.]*\w)*"                                       # word2vec, seq2seq, wav2vec
    r"|[A-Z][a-z]{3,}"                                                      # Anthropic, Reddit (checked below)
    r")(?![\w-])")
# Capitalised words that are English at the start of a clause or in a heading, never names.
COMMON_CAPITALISED = {"figure", "table", "section", "appendix", "equation", "theorem", "lemma", "proposition",
                      "corollary", "definition", "algorithm", "step", "part", "chapter", "page", "note", "example",
                      "eq", "fig", "tab", "sec", "app", "et", "al", "proof", "remark", "assumption"}
ROMAN = re.compile(r"^[IVXLC]+$")
MAX_TERMS = 80
# wordfreq's Zipf scale: a word used this often or more in general English ("loss", "attention",
# "translation") is one whisper hears without the paper's help
COMMON_IN_ENGLISH = 4.0
_AROUND_A_WORD = ".,:;()?!\"'“”"   # punctuation a term's word may carry


@dataclass(frozen=True)
class Vocabulary:
    """Terms in rank order (most useful to the recogniser first), each as the paper spells it."""
    terms: tuple[str, ...] = ()
    title: str = ""


def talk_vocabulary(paper: Paper, matcher: TermMatcher, slide_texts: Sequence[str] = ()) -> Vocabulary:
    """The ranked vocabulary of `paper`, for `WhisperSettings.vocabulary`. With the talk's slide
    texts (OCR), the names they show come right after the title: the talk is about those."""
    passages = paper.passages   # the abstract's sentences first
    # the appendix is left out: a name only its prompt templates or proofs print is not said in a talk
    body = [p for p in passages if not SKIP_SECTIONS.search(p.section) and not _in_appendix(p.section)]
    text = "\n".join(p.text for p in body)
    title = str(paper.meta.value("title") or "").strip()
    authors = _author_words(paper)
    ranked: list[str] = []

    def add(term: str) -> None:
        term = re.sub(r"\s+", " ", term).strip(" ,;:.")
        if term and len(term) >= 2 and _sayable(term) and _key(term) not in {_key(t) for t in ranked}:
            ranked.append(term)

    if title:
        title = _as_said(title, text)
        add(title)
        head = title.split(":")[0].strip()
        if head != title and len(head.split()) <= 3:
            add(head)   # "QLoRA: Efficient Finetuning of Quantized LLMs": the name is before the colon
    # a slide line in capitals ("EXPERIMENTAL RESULTS") is read as said, so its words are no names
    shown = "\n".join(_as_said(line, text) for slide in slide_texts for line in slide.splitlines())
    shown_names, printed_names = _name_counts(shown, authors), _name_counts(text, authors)
    for name, _ in _merge_spellings(shown_names).most_common():
        add(name)
    # one ranking by how often the paper prints each name; an abbreviation brings its long form
    counts = _merge_spellings(printed_names + _glossary_counts(body, matcher))
    long_forms: dict[str, list[str]] = {}
    for definition in find_definitions(body, paper.sections, matcher):
        if definition.abbr and _uses(text, definition.abbr) >= 2:
            long_forms.setdefault(_key(definition.abbr), []).append(definition.name)
            counts[definition.abbr] = max(counts.get(definition.abbr, 0), _uses(text, definition.abbr))
    for name, count in sorted(_merge_spellings(counts).items(), key=lambda item: (-item[1], item[0])):
        if count >= 2:
            add(name)
            for long_form in long_forms.get(_key(name), []):
                add(long_form)
    for section in paper.sections:
        if not SKIP_SECTIONS.search(section.title) and not _in_appendix(section.heading) \
                and len(section.title.split()) <= 6:
            add(_as_said(section.title, text))
    # in the case a speaker's words are written in: whisper primed with title case writes speech in
    # title case ("The World Witness. The Awesome Power."), and mishears more. A name: a word of a
    # name found above, or one the body capitalises in the middle of a sentence, not as part of a
    # phrase in title case ("Massive Multitask Language Understanding"), more than twice as often as
    # it prints it in lower case (alone or in a compound: "low-rank")
    lower = Counter(re.findall(r"(?<![A-Za-z])[a-z]+", text))
    capitalised = Counter(re.findall(r"(?<=[a-z,;] )[A-Z][a-z]+(?![\w-]*\s+[A-Z][a-z])", text))
    names = {word for word, count in capitalised.items() if count > 2 * lower[word.lower()]}
    names |= {word for name in shown_names + printed_names for word in name.split()}
    as_said = (_in_lower_case(term, names) for term in ranked)
    given = [term for term in as_said if not _heard_unprompted(term)]
    return Vocabulary(tuple(given[:MAX_TERMS]), title)


def _heard_unprompted(term: str) -> bool:
    """A phrase of everyday English words ("introduction", "learning rate", "attention is all you
    need"): whisper writes it right untold, and every token of the prompt is paid for in every window
    of the talk. Names (a capital kept by `_in_lower_case`), abbreviations, numbers and any rarer
    word ("softmax", "dropout", "Bradley-Terry") stay."""
    words = re.findall(r"[^\W\d_]+", term)
    return bool(words) and term == term.lower() and not re.search(r"\d", term) \
        and all(zipf_frequency(word, "en") >= COMMON_IN_ENGLISH for word in words)


def _in_lower_case(term: str, names: set[str]) -> str:
    """The term with its capitalised words in lower case ("model architecture", "direct preference
    optimization: your language model is secretly a reward model"), unless one of them is one of
    `names` ("Transformer", "Anthropic", "Wall Street Journal": a name in title case stays whole);
    a word with more capitals stays as printed ("Bradley-Terry", "DPO", "QLoRA")."""
    words = term.split(" ")
    capitalised = [bare for word in words if (bare := word.strip(_AROUND_A_WORD))[:1].isupper() and bare[1:].islower()]
    if any(re.match(r"[^\W\d_]+", bare).group() in names for bare in capitalised):
        return term
    return " ".join(word.lower() if word.strip(_AROUND_A_WORD) in capitalised else word for word in words)


def _as_said(heading: str, text: str) -> str:
    """A heading or slide line printed in capitals ("THE LANGUAGE MODEL", a scan's "INTRODUCTION")
    in sentence case, its acronyms kept (words the body prints in capitals and never in small letters):
    whisper primed with capitals writes the speech in capitals, and mishears it ("TRANSLATION IS
    CLIT INTO TWO PARTS")."""
    if not re.search(r"[A-Z]{2}", heading) or re.search(r"[a-z]", heading):
        return heading

    def acronym(word: str) -> bool:
        bare = word.strip(_AROUND_A_WORD)
        printed = lambda form: re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text)  # noqa: E731
        return len(bare) >= 2 and bool(printed(bare)) and not printed(bare.lower())

    said = " ".join(word if acronym(word) else word.lower() for word in heading.split())
    return said[:1].upper() + said[1:]


def _sayable(term: str) -> bool:
    """Whether a speaker says the term as printed: not when it holds a Greek letter (a variable,
    "excess φ-risk"), which a speaker names in more ways than one ("phi", "the surrogate") and an
    English model primed with it writes where something else was said: convexity.pdf's heading
    made tiny.en hear "φ-risk" for "psi of the excess zero-one risk", and spelled "phi-risk" it
    heard "phi-become" for "Tsybakov"."""
    return not any(unicodedata.name(char, "").startswith("GREEK") for char in term)


def _name_counts(text: str, authors: set[str]) -> Counter:
    """How often each printed name appears in the body. A capitalised plain word counts only when
    it is never written in lower case and does not begin a sentence: "Anthropic", not "Finally"."""
    lower_words = set(re.findall(r"\b[a-z][a-z]+\b", text))
    counts: Counter = Counter()
    for match in NAME.finditer(text):
        name = match.group(0)
        if re.fullmatch(r"[A-Z]{2,}s", name):
            name = name[:-1]
        head = re.split(r"[\s\-]", name)[0]
        if head.lower() in COMMON_CAPITALISED or NOT_A_NAME.match(name) or ROMAN.match(name):
            continue
        after = text[match.end():match.end() + 40]
        if head.lower() in authors or re.match(r"\s*(?:et al|and [A-Z][a-z]+,? \(?\d{4})", after):
            continue  # a citation: "Christiano et al.", "(Ziegler et al., 2019)"
        if re.fullmatch(r"[A-Z][a-z]+", name) and re.match(r"[^.;()]{0,30}?,?\s*\(?(?:19|20)\d\d[a-z]?\b", after):
            continue  # a cited surname: "(Sang and De Meulder, 2003)"
        if re.fullmatch(r"[A-Z][a-z]+", name):
            if name.lower() in lower_words or _starts_sentence(text, match.start()):
                continue
        if re.fullmatch(r"[A-Z]{4,}", name) and name.lower() in lower_words:
            continue  # a word in capitals (a prompt template's "TITLE", "FIRST"), not an acronym
        counts[name] += 1
    for name in list(counts):
        glued = re.fullmatch(r"([A-Z]{2,})([a-z]{3,})", name)
        if glued and re.search(rf"(?<![\w-]){glued.group(1)}(?![\w-])", text):
            del counts[name]   # a subscript read into the name: "BERTbase" where the paper sets BERT_base
    return counts


def _glossary_counts(passages, matcher: TermMatcher) -> Counter:
    """Course glossary terms the paper uses, each under the form the paper prints most."""
    forms: dict[str, Counter] = {}
    for passage in passages:
        for term_id, start, end in matcher.spans(passage.text):
            forms.setdefault(term_id, Counter())[passage.text[start:end]] += 1
    counts: Counter = Counter()
    for printed in forms.values():
        form, _ = printed.most_common(1)[0]
        counts[form] += sum(printed.values())
    return counts


def _merge_spellings(counts: Counter) -> Counter:
    """"IMDb" and "IMDB" are one name, counted together under the spelling printed most."""
    spellings: dict[str, Counter] = {}
    for name, count in counts.items():
        spellings.setdefault(_key(name), Counter())[name] += count
    return Counter({forms.most_common(1)[0][0]: sum(forms.values()) for forms in spellings.values()})


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start]
    return start == 0 or bool(re.search(r"(?:[.!?:]\s+|\n|^\s*|[(\"“]\s*)$", before))


def _author_words(paper: Paper) -> set[str]:
    authors = paper.meta.value("authors") or []
    return {w.lower() for name in authors for w in re.findall(r"[A-Za-z]{3,}", str(name))}


def _uses(text: str, form: str | None) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(form)}s?(?![\w-])", text)) if form else 0


def _key(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", term.lower())

