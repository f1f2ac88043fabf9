"""Terms a paper uses most as technical terms without naming them in so many words.

Many key terms are never introduced with "we call" or "long form (ABBR)": vLLM's PagedAttention,
ResNet's residual learning, Co-teaching's small-loss trick. Three kinds of evidence find them in
any field and template, with no list of terms:

- a **coined name**: one word with a capital after its first letter or a digit among letters
  (PagedAttention, GloVe, MentorNet, vLLM, TransE, DeepSeek-R1), not a plural abbreviation
  ("GPUs"), not a name from the author block (an organisation);
- a **name written as a plain capitalised word** that everyday English rarely uses and no person
  bears (Switchboard, Hansard: `_proper_names`);
- a **phrase the paper puts up front**: two or three content words from its title, abstract,
  section headings, paragraph heads in bold or what its body sets in italics ("residual learning",
  "value network", "cold-start data", "internal fragmentation"), or a hyphenated compound there
  ("small-loss", "copy-on-write"), never a phrase of academic filler ("experimental results",
  "recent work").

Each must recur in at least MIN_SENTENCES sentences outside the references (a coined name may make
up in tables and captions). The most used come first, the rarer in English before the commoner
when used as often (`_specificity`, wordfreq's packaged word lists), at most MAX_TERMS a paper;
each is quoted from the first sentence that uses it (rule "first use": introduced, not defined),
as the glossary quotes a curated term's first use.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Callable

from wordfreq import zipf_frequency

from ..headings import run_in_heading
from ..models.analysis import TermDefinition
from ..models.glossary import term_key
from ..models.paper import Paper, Passage
from .definitions import GENERIC, SKIP_SECTIONS, STOP
from .glossary import TermMatcher

MIN_SENTENCES = 3
# A capitalised word general English uses less often than this (Zipf scale: 3 is once per million
# words; "sample" 4.6, "hansard" 2.6, "kaldi" 1.1) may be a name the paper uses (`_proper_names`).
RARE_IN_ENGLISH = 3.5
# An italic run longer than this is a passage set in italics (a theorem, an example), not a term.
MARKED_TERM_WORDS = 5
# Word endings of adjectives and adverbs ("bidirectional", "pairwise", "ungrammatical"): not a term alone.
ADJECTIVE_ENDING = r"(?:al|ive|ous|ly|ed|ic|able|ible|wise|ful|less|ing)$"
MAX_TERMS = 16
# Plurals made with "es": "approaches", "classes", "boxes" (the key and pattern drop and restore it).
PLURAL_ES = ("ches", "shes", "sses", "xes")
# a year in a name ("CoNLL-2003", "CAIL2019-SCM"): a dataset's edition, where other four digits date a release
YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d)")
COINED = re.compile(r"(?<![\w-])(?:[A-Za-z]+[0-9]*|[\u0391-\u03c9])(?:-[A-Za-z0-9]+)*(?![\w-])")
# a Greek letter joined to a word: a quantity named after its symbol (φ-risk, ψ-transform, ε-greedy)
GREEK_COMPOUND = re.compile(r"[\u0391-\u03c9](?:-[A-Za-z]{2,})+")
WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]")
# Words that make a phrase academic prose rather than a term.
FILLER = {
    "paper", "papers", "work", "works", "study", "studies", "experiment", "experiments", "experimental", "performance",
    "state", "art", "recent", "recently", "new", "novel", "large", "small", "high", "higher", "low", "lower", "different",
    "various", "significant", "significantly", "better", "best", "simple", "effective", "effectively", "efficient",
    "strong", "well", "first", "second", "third", "existing", "previous", "prior", "such", "also", "show", "shows",
    "shown", "propose", "proposed", "present", "presented", "use", "uses", "used", "using", "based", "improve",
    "improves", "improved", "improvement", "improvements", "train", "trained", "test", "tested", "evaluation",
    "evaluate", "evaluated", "number", "numbers", "problem", "problems", "example", "examples", "case", "cases", "way",
    "ways", "order", "time", "times", "section", "sections", "figure", "figures", "table", "tables", "appendix",
    "analysis", "important", "general", "key", "main", "common", "standard", "original", "final", "overall", "total",
    "further", "multiple", "single", "many", "several", "each", "both", "other", "same", "wide", "range", "introduction",
    "conclusion", "conclusions", "discussion", "related", "background", "overview", "future", "limitations", "setup",
    "details", "implementation", "evaluation", "ablation", "ablations", "comparison", "comparisons", "additional",
    "more", "most", "less", "very", "much", "only", "not", "all", "any", "some", "can", "could", "may", "might", "our",
    "their", "its", "we", "they", "it", "this", "that", "these", "those", "which", "while", "when", "where", "how",
    "what", "why", "who", "into", "over", "under", "between", "without", "within", "across", "through", "against",
    "than", "then", "there", "here", "about", "after", "before", "during", "up", "out", "one", "two", "three", "four",
    "five", "make", "makes", "made", "take", "takes", "give", "gives", "achieve", "achieves", "obtain", "obtained",
    "good", "bad", "strongly", "widely", "able", "empirical", "is", "are", "was", "were", "been", "be", "being", "have",
    "has", "had", "do", "does", "did", "submitted", "discussed", "corresponding", "extremely", "increased", "public",
    "empirically", "theoretical", "theoretically", "practical", "practice", "real", "world", "even", "still", "yet",
    "often", "usually", "typically", "per", "every", "generally", "given", "respectively", "thus", "however", "therefore", "paper",
}


# Words a term may hold but not consist of ("model size", "training data" are no terms).
VAGUE = GENERIC | {"size", "sizes", "length", "lengths", "cost", "costs", "bound", "bounds", "rate", "rates", "type",
                   "types", "class", "classes", "base", "capability", "capabilities", "information", "instance",
                   "instances", "training", "performance", "quality", "accuracy", "scale", "level", "levels",
                   "system", "systems", "representation", "representations", "capacity", "step", "steps", "data",
                   "set", "sets", "architecture", "architectures", "network", "networks", "net", "nets"}
NOUNS_LIKE_ADJECTIVES = {"signal", "signals", "interval", "trial", "potential", "proposal", "retrieval", "removal",
                         "tutorial", "terminal", "journal", "manual", "material", "objective", "alternative",
                         "negative", "positive", "derivative", "primitive", "incentive", "directive", "rival"}
VERBS = {"consider", "considers", "follow", "follows", "stay", "stays", "aligning", "making", "learn", "learns",
         "apply", "applying", "leverage", "leveraging", "enable", "enables", "enabling", "allow", "allows", "scaling"}
# Hyphenated words that describe rather than name ("pre-trained", "large-scale").
DESCRIPTIVE_PREFIX = {"pre", "large", "small", "well", "real", "high", "low", "long", "short", "fine", "end", "open",
                      "state", "so", "non", "mini", "full", "half", "top", "wide", "single", "multi", "two", "three"}


def prominent_terms(paper: Paper, passages: list[Passage], matcher: TermMatcher,
                    known: list[TermDefinition]) -> list[TermDefinition]:
    """The paper's most used coined names and up-front phrases that are neither course terms nor
    among the terms it names (`known`), most used first."""
    body = [p for p in passages if not SKIP_SECTIONS.search(p.section)]
    text = "\n".join(p.text for p in body)
    # terms already known: the curated ones, and those the paper names
    known_forms = {_stem(n): n for t in matcher.terms.values() for n in (t.term, t.abbr, *t.aliases) if n}
    known_forms.update({_stem(f): f for d in known for f in (d.name, d.abbr) if f})
    people = _author_block_words(paper)
    printed = _printed_outside_references(paper)
    coined = {**_proper_names(body, paper.references, people), **_coined_names(body + printed, people, body)}
    coined_forms = set(coined.values())
    heads = _paragraph_heads(paper, passages)
    only_capitals = functools.partial(_only_capitals, text=text, tokens=set(re.findall(r"\w+", text)))
    phrases = {k: f for k, f in _phrases_up_front(paper, passages, heads).items()
               if not any(f" {w} " in f" {k} " and _vague_around(w, k) for w in coined)   # "instructgpt model": the
               # name is the term, but "LLM serving" is a term of its own
               and not _abbreviation_plus_vague(f, only_capitals)}   # "nlp tasks": NLP is the term
    headed = _named_by_heads(heads)
    folded_body = [p.text.casefold() for p in body]
    scored, seen = [], set()
    for form in {**phrases, **coined}.values():
        key = _stem(form)
        if key in seen or key in known_forms or _known_plus_vague(key, known_forms):
            continue  # a known term, or one with filler around it ("deep neural networks")
        seen.add(key)
        # a piece of a known term counts only where it stands alone: "noisy labels" outside
        # "learning with noisy labels", never "tangent kernel" inside "neural tangent kernel"
        around = [_pattern(original) for stem, original in known_forms.items() if f" {key} " in f" {stem} "]
        pattern = _pattern(_singular(form))   # "memorization effects" is also "memorization effect"
        # every use holds the form's first word: a passage without it is not searched
        first = re.split(r"[\s-]+", _singular(form).strip())[0].casefold()
        matches = [(p, m.group()) for p, folded in zip(body, folded_body)
                   if first in folded and (m := pattern.search(_without(p.text, around)))]
        uses = len(matches)
        if form in coined_forms and 0 < uses < MIN_SENTENCES:
            # a dataset or tool named in tables and captions more than in sentences (IMDb, fMLLR)
            uses = max(uses, sum(len(pattern.findall(page.text)) for page in printed) / 2)
        # a term a paragraph head names may be used once; an unexpanded abbreviation (GPU, WMT) after the names and phrases
        if uses >= MIN_SENTENCES or (uses and key in headed):
            names = (form in coined_forms or all(w[:1].isupper() for _, w in matches)   # "Guanaco" as written,
                     or any(term_key(w) in coined for w in form.split()))           # "limiting NTK" too
            forms = Counter(w if names else w.lower() for _, w in matches)
            written = forms.most_common(1)[0][0]
            for plural in ("es", "s"):   # "serving system", "feature-based approach", as the paper also writes it
                if written.endswith(plural) and written[:-len(plural)] in forms:
                    written = written[:-len(plural)]
                    break
            weight = (0.5 + _specificity(form)) / (2 if form.isupper() else 1)
            scored.append((uses * weight, written, matches[0][0]))
    # a longer phrase used nearly as often as a shorter one inside it is the term ("support vector
    # machine", not "support vector"), unless the longer one is itself left out for a kept term it
    # holds ("word analogy task" holds "analogy task": then "word analogy" stands)
    longer = {s[1]: [o[1] for o in scored if _overlaps(s[1], o[1]) and len(o[1]) > len(s[1]) and o[0] >= 0.75 * s[0]
                     and not _category_of(s[1], o[1])]
              for s in scored}
    scored.sort(key=lambda s: (-s[0], s[1].casefold()))
    kept: list[tuple[int, str, Passage]] = []
    for count, form, first in scored:
        if any(_overlaps(form, other) or _vague_around(other, form) for _, other, _ in kept):
            continue  # "residual learning" kept: not "deep residual learning" too; "matrix factorization"
            # kept: not "factorization methods" either
        if any(not any(_overlaps(bigger, other) for _, other, _ in kept) for bigger in longer[form]):
            continue  # the longer phrase is the term, and may still be kept
        kept.append((count, form, first))
        if len(kept) == MAX_TERMS:
            break
    return [TermDefinition(term_id=None, name=form, abbr=None, sentence=first.text, page_no=first.page_no,
                           section=first.section, rule="first use") for _, form, first in kept]


def _without(text: str, patterns: list[re.Pattern]) -> str:
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return text


def _coined_names(texts: list[Passage], people: set[str], body: list[Passage]) -> dict[str, str]:
    """Coined names printed in `texts`: the body's sentences, and its pages with tables and captions."""
    found: dict[str, str] = {}
    words = {w for p in body for w in re.findall(r"[a-z][a-z-]*", p.text)}   # the paper's lower-case words
    read: set[str] = set()   # a word printed again is judged again alike: the first of its forms is kept
    for passage in texts:
        for match in COINED.finditer(passage.text):
            word = match.group()
            if word in read:
                continue
            read.add(word)
            if (word.isupper() and word.lower() in words) or (re.search(r"\d{4}", word) and not YEAR.search(word)):
                continue  # an ordinary word in capitals ("FIRST"); a dated release ("o1-1217", not "CoNLL-2003")
            if _looks_coined(word) and word.casefold() not in people:
                found.setdefault(term_key(word), word)
    return found


def _proper_names(body: list[Passage], references: list[str], people: set[str]) -> dict[str, str]:
    """Names written as plain capitalised words: datasets, corpora, tools, systems (Switchboard,
    Hansard, Kaldi, Orca, Alpaca). A word counts when the paper capitalises it in the middle of a
    sentence and never writes it in lower case, general English rarely uses it (wordfreq), and it
    is no person: not in the author block, not a surname beside an initial or a given name in the
    references ("Ruder, S.", "A. Radford", "Lajanugen Logeswaran and"), not cited ("Ruder et al.")
    or named in full ("Fan Hui") in the text; never an adjective made of a name ("Gaussian",
    "Bayesian") or a reference label ("Eqn. 3")."""
    lower = {w for p in body for w in re.findall(r"(?<![\w-])[a-z]+(?![\w-])", p.text)}
    cited = " ".join(references)
    found: dict[str, str] = {}
    seen: Counter = Counter()
    never: set[str] = set()   # "Ruder et al.", "Eqn. 3", "Fan Hui" anywhere: never a term
    for passage in body:
        capitals = _mid_sentence_capitals(passage.text)
        never |= {word for word, person_or_label in capitals if person_or_label}
        seen.update({word for word, _ in capitals})
    for word, sentences in seen.items():
        if sentences < MIN_SENTENCES or word in never or word.lower() in lower or word.casefold() in people:
            continue
        if word.endswith(("ian", "ean")) or zipf_frequency(word.lower(), "en") > RARE_IN_ENGLISH:
            continue
        if re.search(rf"\b{word},\s*[A-Z]\.|\b[A-Z]\.\s*(?:[A-Z]\.\s*)*{word}\b|\b[A-Z][a-z]+\s+{word}(?:,|\s+and\b|\.)",
                     cited):
            continue
        found.setdefault(term_key(word), word)
    return found


def _mid_sentence_capitals(text: str) -> list[tuple[str, bool]]:
    """Each capitalised word after a lower-case word or a comma, and whether what is around it
    makes it a person or a reference label: "et al." or a number after it, a capitalised word
    before it ("Fan Hui")."""
    tokens = text.split()
    found = []
    for i in range(1, len(tokens)):
        word = tokens[i].strip(",;:()[]\"“”‘’'")
        if not re.fullmatch(r"[A-Z][a-z]{2,}", word) or tokens[i].startswith(("(", "[", "“", '"')):
            continue
        before, after = tokens[i - 1], " ".join(tokens[i + 1:i + 3])
        if not re.search(r"[a-z,;]$", before) or before.endswith("."):
            continue
        person_or_label = (bool(re.match(r"[A-Z][a-z]+$", before)) or bool(re.match(r"(?:and \S+ )?et al", after))
                           or bool(re.match(r"\(?\d", after)))
        found.append((word, person_or_label))
    return found


def _printed_outside_references(paper: Paper) -> list[Passage]:
    """Each page's whole text (tables, captions and footnotes too) up to the reference list, as
    passages: where a paper names its datasets and tools more often than in its sentences."""
    from ..ingest.paper import REFERENCES   # where the paper stage itself stops reading sentences
    references = next((s.page_start for s in paper.sections if REFERENCES.match(s.title)), None)
    pages = []
    for page_no, text in enumerate(paper.page_texts, start=1):
        if references is not None and page_no > references:
            break
        if page_no == references:
            text = re.split(r"\b(?:References|REFERENCES|Bibliography)\b", text)[0]
        pages.append(Passage(id=f"page{page_no}", text=text, page_no=page_no, section=""))
    return pages


def _looks_coined(word: str) -> bool:
    """PagedAttention, GloVe, vLLM, DeepSeek-R1, LVCSR, CIFAR-10, φ-risk: a capital after the first
    letter with a lower-case letter somewhere, letters and digits in one hyphenated name, capitals
    with a number (a dataset, a model, a number format), a Greek letter joined to a word, or an
    abbreviation the paper never expands; not
    "GPUs" (a plural abbreviation) or "Co-Teaching"-style title case of ordinary words."""
    if GREEK_COMPOUND.fullmatch(word):
        return True
    letters = word.replace("-", "")
    if len(letters) < 3 or not re.search(r"[A-Z]", letters):
        return False
    if re.fullmatch(r"[A-Z]{3,10}", letters):
        return not re.fullmatch(r"[IVXLC]+", letters)   # not a Roman numeral
    if not re.search(r"[a-z]", letters):   # capitals with a number: CIFAR-10, SST-2, CAIL2019-SCM, FP16
        return bool(re.fullmatch(r"[A-Z]{2,}\d*(?:-[A-Z0-9]+)*", word) and re.search(r"\d", word))
    if re.fullmatch(r"[A-Z]{2,}s", letters):
        return False
    parts = word.split("-")
    inner_capital = any(re.search(r"[A-Z]", part[1:]) and re.search(r"[a-z]", part) for part in parts)
    digit_part = len(parts) > 1 and any(re.search(r"\d", part) for part in parts)
    return bool(inner_capital or (digit_part and re.search(r"[A-Z]", word)))


def _phrases_up_front(paper: Paper, passages: list[Passage], heads: list[str]) -> dict[str, str]:
    """Two- and three-word phrases (and hyphenated compounds) of the title, abstract, headings and
    paragraph heads, and of what the body sets in italics, as papers do where they introduce a term."""
    title = str(paper.meta.value("title") or "")
    abstract = " ".join(p.text for p in passages if p.section.lower() == "abstract")
    sections = [s.title for s in paper.sections if not SKIP_SECTIONS.search(s.title)]
    headings = sections + heads
    found: dict[str, str] = {}
    for heading in sections:  # a section named by one word: "Distillation", "Distillation: Empower Small Models
        words = [w.lower() for w in WORD.findall(heading.split(":")[0])]   # ..." (a run-in "Human:" is a speaker)
        if len(words) == 1 and len(words[0]) >= 5 and words[0] not in VAGUE | FILLER:
            found.setdefault(term_key(words[0]), words[0])
    # what the paper sets in italics to mark a term: a few words, not a theorem, an abstract or an
    # example prompt set in italics, nor an example in another language ("Jean aime Marie")
    emphasised = [text for text in paper.emphasised if len(WORD.findall(text)) <= MARKED_TERM_WORDS
                  and not any(_foreign(w.lower()) for w in WORD.findall(text))]
    for text in emphasised:   # a noun the paper sets in italics that English rarely uses: "fragmentation"
        words = [w.lower() for w in WORD.findall(text)]
        if len(words) == 1 and len(words[0]) >= 5 and words[0] not in VAGUE | FILLER \
                and not re.search(ADJECTIVE_ENDING, words[0]) and zipf_frequency(words[0], "en") <= RARE_IN_ENGLISH:
            found.setdefault(term_key(words[0]), words[0])
    for text in (title, abstract, " . ".join(headings), " . ".join(emphasised)):
        for run in re.split(r"[^A-Za-z\s-]+|\s-\s", text):
            words = [w.lower() for w in WORD.findall(run)]
            for n in (3, 2, 1):
                for i in range(len(words) - n + 1):
                    gram = words[i:i + n]
                    if _term_like(gram):
                        phrase = " ".join(gram)
                        found.setdefault(term_key(phrase), phrase)
    return found


def _paragraph_heads(paper: Paper, passages: list[Passage]) -> list[str]:
    """Heads of the body's paragraphs: run into their first sentence ("Label Smoothing During
    training, ...") or set in bold ("Shortcut Connections.")."""
    run_in = [h for p in passages if not SKIP_SECTIONS.search(p.section) and (h := run_in_heading(p.text))]
    return run_in + [lead.rstrip(".:") for lead in paper.leads]


def _named_by_heads(heads: list[str]) -> set[str]:
    """What a paragraph head names, as keys: a paragraph under a head ("Residual Dropout", a
    run-in "Sequence training Sequence training was done ...", "A Differentiable Load Balancing
    Loss.") explains the thing it names, which is the paper's term even where the body uses it
    only once more. The name is the head's noun phrase: no article, up to a colon or a
    preposition, its last two or three words when term-like."""
    named = set()
    for head in heads:
        first = re.split(r":|\s(?:with|for|in|on|from|to|versus|vs)\b", head)[0]
        words = [w.lower() for w in WORD.findall(first)]
        for n in (3, 2):
            if len(words) >= n and _term_like(words[-n:]):
                named.add(_stem(" ".join(words[-n:])))
                break
    return named


def _foreign(word: str) -> bool:
    """A word of another language's example: much more common in French, German, Spanish, Italian,
    Portuguese or Dutch than in English ("chien", "aime"; not "guanaco" or "fragmentation")."""
    english = zipf_frequency(word, "en")
    # wordfreq's "small" lists hold every word this common; the full ones would add 190 MB
    return any((other := zipf_frequency(word, lang, wordlist="small")) >= 3.5 and other >= english + 1.5
               for lang in ("fr", "de", "es", "it", "pt", "nl"))


def _term_like(words: list[str]) -> bool:
    """Whether words are a term's: content words, a noun at the end; one word alone only as a
    hyphenated compound ("small-loss", "self-play")."""
    if any(w in STOP or w in FILLER or len(w.replace("-", "")) < 3 for w in words):
        return False
    last = words[-1].split("-")[-1]
    if last.endswith(("ly", "ed", "ous")) or (last.endswith(("al", "ive")) and last not in NOUNS_LIKE_ADJECTIVES):
        return False  # a noun phrase ends in its noun: not "feature-based", "wider temporal", "average relative"
    if len(words) == 1:   # "small-loss", "self-play", "copy-on-write"
        parts = words[0].split("-")
        inner = parts[1:-1]
        return (len(parts) >= 2 and len(parts[0]) >= 2 and len(parts[-1]) >= 2 and parts[0] not in DESCRIPTIVE_PREFIX
                and not any(p in FILLER for p in parts) and all(len(p) >= 2 or p in STOP for p in inner))
    if words[0] in VERBS:
        return False  # a noun phrase, not "follow instructions"
    return not all(w in VAGUE for w in words) and not words[0].split("-")[0] in DESCRIPTIVE_PREFIX - {"multi"}


def _author_block_words(paper: Paper) -> set[str]:
    words: set[str] = set()
    for name in ("authors", "affiliations"):
        for entry in paper.meta.value(name) or []:
            words |= {w.casefold() for w in re.findall(r"[\w-]+", str(entry))}
    return words


def uses_pattern(name: str, abbr: str | None = None, exact_case: bool = False) -> re.Pattern:
    """The term as papers write it: the name in any case (in its own case with `exact_case`, for a
    coined name), its words joined by a space or a hyphen, with a plural s or es; the abbreviation only
    in its own case ("CoT", never "cot")."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", name.strip()) if w]
    written = r"[\s-]+".join(words) + r"(?:e?s)?"
    forms = [written if exact_case else f"(?i:{written})"]
    if abbr:
        forms.append(re.escape(abbr) + "s?")
    return re.compile(r"(?<![\w-])(?:" + "|".join(forms) + r")(?![\w-])")


def _pattern(form: str) -> re.Pattern:
    return uses_pattern(form, exact_case=" " not in form and _looks_coined(form))   # a coined name in its own case


def _overlaps(form: str, other: str) -> bool:
    a, b = f" {_stem(form)} ", f" {_stem(other)} "
    return a in b or b in a


def _known_plus_vague(key: str, known_forms: list[str]) -> bool:
    """A known term with nothing but vague words around it ("deep neural networks"), in whole
    words: "residual network" is not "residual net" plus "work"."""
    for name in known_forms:
        if f" {name} " in f" {key} ":
            rest = f" {key} ".replace(f" {name} ", " ").split()
            if all(w in VAGUE or w in FILLER or w == "deep" for w in rest):
                return True
    return False


def _vague_around(form: str, other: str) -> bool:
    """The other phrase only adds vague words to the form, or to the end of it, its head noun:
    "instructgpt model" to "InstructGPT", "factorization methods" to "matrix factorization" (but
    "residual network" is not "residual learning" with a vague word)."""
    words, others = _stem(form).split(), _stem(other).split()
    for start in range(len(words)):
        piece = " ".join(words[start:])
        if f" {piece} " in f" {' '.join(others)} ":
            rest = f" {' '.join(others)} ".replace(f" {piece} ", " ", 1).split()
            return bool(rest) and all(w in VAGUE or w in FILLER for w in rest)
    return False


def _category_of(form: str, longer: str) -> bool:
    """The longer phrase is a kind of things the form names: "matrix factorization methods" is no
    better a term than "matrix factorization", though "harmfulness reward model" is one thing and
    a better term than "harmfulness reward"."""
    return longer.split()[-1].endswith("s") and longer.split()[-1] not in form.split() and _vague_around(form, longer)


def _stem(text: str) -> str:
    """A term's key with plural s dropped from each word: "neural networks" is "neural network",
    "feature-based approaches" is "feature-based approach"."""
    return " ".join(w[:-2] if len(w) > 5 and w.endswith(PLURAL_ES) else
                    w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in term_key(text).split())


def _specificity(form: str) -> float:
    """How far the term is from everyday English, 0 to 1: its rarest word's frequency in general
    English (wordfreq; Zipf 5.5, as "model" or "memory", gives 0; Zipf 2.5, as "fragmentation"
    nearly, gives 1). A hyphenated compound or a coined name counts as rare: "copy-on-write",
    "PagedAttention". Among terms used as often, the rarer is the paper's own ("internal
    fragmentation" before "memory management")."""
    rarest = 8.0
    for word in form.split():
        if "-" in word.strip("-") or _looks_coined(word):
            return 1.0
        rarest = min(rarest, zipf_frequency(word.lower(), "en"))
    return min(1.0, max(0.0, (5.5 - rarest) / 3.0))


def _abbreviation_plus_vague(phrase: str, only_capitals: Callable[[str], bool]) -> bool:
    """An abbreviation the paper writes only in capitals with nothing but vague words around it
    ("NLP tasks": NLP is the term), not a phrase it heads ("LLM serving"). `only_capitals(word)`:
    whether the paper writes the word only in capitals (`_only_capitals`)."""
    words = phrase.split()
    capitals = [only_capitals(w) for w in words]
    return any(capitals) and all(c or w in VAGUE or w in FILLER for c, w in zip(capitals, words))


def _singular(form: str) -> str:
    """The form with its last word's plural ending dropped: its pattern takes it back as optional."""
    words = form.split(" ")
    last = words[-1]
    if len(last) > 5 and last.endswith(PLURAL_ES):
        words[-1] = last[:-2]   # "approaches"
    elif len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")) and last[-2].islower():
        words[-1] = last[:-1]
    return " ".join(words)


def _only_capitals(word: str, text: str, tokens: set[str]) -> bool:
    """A word the paper writes only in capitals (an abbreviation: NLP, LVCSR). `tokens`: the
    text's runs of word characters, where a word of nothing else is looked up (a search of the
    whole text for each word of each phrase took a fifth of the paper's vocabulary)."""
    if re.fullmatch(r"\w+", word):
        return word.upper() in tokens and word not in tokens
    return bool(re.search(rf"(?<!\w){re.escape(word.upper())}(?!\w)", text)) and not re.search(
        rf"(?<!\w){re.escape(word)}(?!\w)", text)
