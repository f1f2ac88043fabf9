"""Terms a paper defines itself, and the page where each glossary term is defined in a paper.

A paper introduces its own vocabulary in a few fixed ways: a long form with its abbreviation
("Direct Preference Optimization (DPO)"), a naming clause ("we call this the squeezing effect",
"we refer to this procedure as a “masked LM”", "often termed adapters"), or a section devoted to
the term ("3.2.2 Multi-Head Attention"). We quote the defining sentence and its page rather than
write a definition: the paper is the source. Everything else in parentheses is junk to skip:
equation numbers "(1)", enumerations "(a)", "(Table 2)", citations "(Smith et al., 2020)", maths.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator

from ..models.analysis import TermDefinition
from ..models.paper import Paper, Passage, Section
from ..headings import run_in_heading
from ..ingest.paper import ABSTRACT
from .glossary import TermMatcher, is_acronym

# Sections whose sentences never define the paper's vocabulary.
SKIP_SECTIONS = re.compile(r"acknowledg|references|bibliography|author contributions|sample responses|"
                           r"funding|broader impact", re.I)
STOP = {"a", "an", "the", "of", "for", "from", "and", "to", "in", "on", "with", "by", "at", "via", "as", "or"}
# Words that end a named phrase when no quote or capital marks its end.
PHRASE_END = STOP - {"of"} | {"which", "that", "where", "when", "because", "since", "is", "are", "was", "were",
                                "be", "can", "we", "it", "this", "these", "while", "but", "whose", "has", "have",
                                "will", "would", "than", "then", "so", "if", "using", "used", "throughout"}
GENERIC = {"method", "methods", "model", "models", "approach", "approaches", "procedure", "technique", "algorithm",
           "data", "dataset", "datasets", "network", "networks", "layer", "layers", "function", "functions",
           "parameters", "sentences", "sentence", "tokens", "task", "tasks", "term", "terms", "objective",
           "result", "results", "setting", "settings", "baseline", "baselines", "variant", "variants", "process"}
ABBR = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{0,9}")
PAREN = re.compile(r"\(\s*([^()]{1,160}?)\s*\)")
QUOTED = re.compile(r"[\"“”‘’']([^\"“”‘’']{2,60}?)(?:[\"“”‘’']|$)")
# What follows a naming verb, to the end of its clause: a period inside a name or number ("robust-C4.5",
# "GPT-3.5") ends nothing.
REST = r"(?:[^.;:]|\.(?=\w))*"
# "we call this (method) X", "which we name X", "we term X", "we refer to ... as X"
WE_CALL = re.compile(r"\b(?:which |that )?we (?:will )?(?:call|name|term|dub|coin|refer to)\b\s*(?P<rest>" + REST + ")",
                     re.I)
# "often termed adapters", "is known as a contextual dueling bandit", "sometimes called intra-attention"
LOOSE = re.compile(r"(?:\b(?P<before>\w+)\s+)?\b(?P<verb>so-called|called|termed|dubbed|known as|referred to as|namely|named)"
                   r"\s+(?P<rest>" + REST + ")", re.I)
# "named" only names something after a noun or "is": "a method named RoPE", not "named entity recognition".
NAMED_AFTER = {"method", "model", "models", "approach", "algorithm", "technique", "framework", "architecture",
               "family", "is", "are", "was", "were", "network", "dataset", "benchmark"}
# Words that make a "name" a cross-reference, not a term: "namely Proposition 1".
NOT_A_NAME = re.compile(r"^(?:Proposition|Theorem|Lemma|Corollary|Section|Sections|Figure|Fig|Table|Equation|Eq|"
                        r"Appendix|Algorithm|Definition|Step|Part|Chapter)\b")
# "block tables—the mapping between logical and physical KV blocks", "The expert capacity — the
# number of tokens each expert computes —": a phrase glossed in an aside that opens with an article.
DASH_GLOSS = re.compile(r"(?P<before>[A-Za-z][A-Za-z\- ]{1,80}?)\s?(?:—|\s–\s)\s?(?:the|a|an|i\.e\.,?)\s+\w")
# Nouns that class what is named: "we call this effect distortion", "this phenomenon X".
CLASSIFIERS = {"effect", "phenomenon", "quantity", "property", "kind", "type", "behavior", "behaviour", "issue",
               "problem", "strategy", "trick", "scheme", "idea", "measure", "metric", "rule", "operation",
               "mechanism", "step", "stage", "phase", "case", "condition", "assumption", "latter", "former"}
DETERMINERS = {"our", "their", "its", "his", "her", "my", "your", "those", "such", "each", "every", "any", "some",
               "all", "both", "no", "also", "not", "only"}
# "We call the number of French words that an English word produces ... its fertility": the name
# comes after "its" / "their", once the thing named has been described.
ITS_NAME = re.compile(r"^(?:\S+\s+){2,}?(?:its|their)\s+(?P<rest>.+)$")
STANDS_FOR = re.compile(r"(?P<abbr>\b[A-Z][A-Za-z0-9\-]{1,9}),? which stands for (?P<long>[^,.;:()]{3,90})")
MATHY = re.compile(r"[=<>∈∑∏√^_{}\\|⇡θβαλ∼≈±×·]|\d\s*[+*/]")


def paper_vocabulary(paper: Paper, matcher: TermMatcher) -> tuple[list[Passage], list[TermDefinition],
                                                                 list[TermDefinition]]:
    """(sentences searched, where each course term is defined, the paper's own terms: those it
    names, then those it uses most without naming them, `prominent_terms`)."""
    from .prominent_terms import prominent_terms
    passages = paper.passages   # the abstract's sentences first (`ingest.paper.with_abstract`)
    definitions = find_definitions(passages, paper.sections, matcher)
    named = paper_terms(passages, definitions)
    return (passages, defining_places(passages, paper.sections, matcher, definitions),
            named + prominent_terms(paper, passages, matcher, named))


def paper_matcher(paper: Paper, matcher: TermMatcher) -> TermMatcher:
    """The course's terms as this paper uses them: without an abbreviation the paper spells out as
    something else than the course term ("reduced nearest neighbors (RNN)", "condensed nearest
    neighbors (CNN)" in a survey of label noise), unless it also spells it out the course's way."""
    spelled: dict[tuple[str, str], bool] = {}   # (term id, abbreviation) -> the course's sense seen
    for _, name, abbr, rule in _namings(paper.passages):
        if rule != "long form (abbreviation)" or not abbr:
            continue
        for term in matcher.terms.values():
            if abbr == term.abbr or abbr in term.aliases:
                spelled[(term.id, abbr)] = spelled.get((term.id, abbr), False) or _same_term(name, term, matcher)
    other: dict[str, set[str]] = {}
    for (term_id, abbr), same in spelled.items():
        if not same:
            other.setdefault(term_id, set()).add(abbr)
    return matcher.without_abbreviations(other) if other else matcher


def _same_term(long_form: str, term, matcher: TermMatcher) -> bool:
    """Whether a paper's long form names the course term: a glossary form of it, or half the words
    of one ("Low Rank Adapters" for low-rank adaptation, "reinforcement learning with human
    feedback"), each word read by its first five letters."""
    if any(term_id == term.id and start == 0 for term_id, start, _ in matcher.spans(long_form)):
        return True

    def stems(text: str) -> set[str]:
        return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 3 and w not in STOP}

    mine = stems(long_form)
    forms = [stems(f) for f in [term.term, *term.aliases] if not is_acronym(f)]
    return any(mine and form and len(mine & form) >= 0.5 * min(len(mine), len(form)) for form in forms)


def find_definitions(passages: list[Passage], sections: list[Section], matcher: TermMatcher) -> list[TermDefinition]:
    """Every defining sentence in the paper, in reading order: course terms get their glossary id,
    the paper's own new terms keep `term_id=None`."""
    return [TermDefinition(term_id=_glossary_id(name, abbr, matcher), name=name, abbr=abbr, sentence=passage.text,
                           page_no=passage.page_no, section=passage.section, rule=rule)
            for passage, name, abbr, rule in _namings(passages)]


def _namings(passages: list[Passage]) -> Iterator[tuple[Passage, str, str | None, str]]:
    """Each naming pattern of the paper's body (reference lists and the like left out), with the
    sentence it is in: what the paper defines and how it spells out its abbreviations."""
    for passage in passages:
        if not SKIP_SECTIONS.search(passage.section):
            for name, abbr, rule in _named_in(passage.text):
                yield passage, name, abbr, rule


def paper_terms(passages: list[Passage], definitions: list[TermDefinition]) -> list[TermDefinition]:
    """The paper's own new terms, one each (its first defining sentence, abstract included), kept
    when the paper uses it again: a name said once is no vocabulary. Of the phrases a glossing dash
    may name, the longest the paper uses again is the term ("block tables", not "maintains block
    tables")."""
    text = "\n".join(p.text for p in passages)

    def used_again(definition: TermDefinition) -> bool:
        forms = [f for f in (definition.name, definition.abbr) if f]
        if definition.rule == "glossed" and definition.name.endswith("s"):
            forms = [definition.name[:-1]]   # "block tables" is used as "block table" too (s optional below)
        return sum(len(re.findall(rf"(?<![\w-]){re.escape(f)}s?(?![\w-])", text, flags=re.I)) for f in forms) >= 2

    best: dict[str, TermDefinition] = {}
    glossed: set[tuple[str, int]] = set()   # (sentence, page) whose dash already gave its term
    for definition in definitions:
        if definition.term_id is not None:
            continue
        name = re.sub(r"[’']s$", "", definition.name)  # "the operating system’s (OS)": the term is the system
        if name != definition.name:
            definition = replace(definition, name=name)
        if definition.rule == "glossed":
            place = (definition.sentence, definition.page_no)
            if place in glossed or not used_again(definition):
                continue
            glossed.add(place)
        key = _key(definition.abbr or definition.name)
        best.setdefault(key, definition)
    kept = [d for d in best.values() if d.rule == "glossed" or used_again(d)]
    return sorted(kept, key=lambda d: (d.page_no, d.name.lower()))


def defining_places(passages: list[Passage], sections: list[Section], matcher: TermMatcher,
                    definitions: list[TermDefinition]) -> list[TermDefinition]:
    """For each course term the paper uses, where the paper defines it, best evidence first:
    1. a heading devoted to the term: a section ("3.2.2 Multi-Head Attention") or a run-in
       paragraph heading ("Reward Modelling Phase: ...", "Double Quantization We introduce ...");
    2. the earliest sentence that says what it is ("X is a ...", "we call ... X", "We present X,
       an efficient ...", "sometimes called X"), the abstract included;
    3. the earliest expansion of its abbreviation ("reinforcement learning from human feedback (RLHF)");
    4. else the first body sentence that uses it, with `rule="first use"`: introduced, not defined.
    """
    order = {id(p): i for i, p in enumerate(passages)}
    readable = [p for p in passages if not SKIP_SECTIONS.search(p.section)]
    first_use: dict[str, Passage] = {}
    first_body_use: dict[str, Passage] = {}
    evidence: dict[str, list[tuple[int, int, TermDefinition]]] = {}

    def offer(rank: int, position: int, definition: TermDefinition) -> None:
        evidence.setdefault(definition.term_id, []).append((rank, position, definition))

    for section in sections:
        if SKIP_SECTIONS.search(section.title):
            continue
        for term_id in _heading_terms(section.title, matcher):
            passage = next((p for p in passages if p.section == section.heading), None)
            term = matcher.terms[term_id]
            offer(1, order[id(passage)] if passage else 0,
                  TermDefinition(term_id, term.abbr or term.term, term.abbr, passage.text if passage else section.heading,
                                 section.page_start, section.heading, "section heading"))
    for passage in readable:
        heading = run_in_heading(passage.text)
        for term_id, start, end in matcher.spans(passage.text):
            first_use.setdefault(term_id, passage)
            if not ABSTRACT.match(passage.section):
                first_body_use.setdefault(term_id, passage)
            term = matcher.terms[term_id]
            name = term.abbr or term.term
            if heading and end <= len(heading) and term_id in _heading_terms(heading, matcher):
                offer(1, order[id(passage)], TermDefinition(term_id, name, term.abbr, passage.text, passage.page_no,
                                                            passage.section, "run-in heading"))
            elif _says_what_it_is(passage.text, start, end):
                offer(2, order[id(passage)], TermDefinition(term_id, name, term.abbr, passage.text, passage.page_no,
                                                            passage.section, "is-a sentence"))
    position_of = {p.text: order[id(p)] for p in passages}
    for definition in definitions:
        if definition.term_id:
            rank = 3 if definition.rule == "long form (abbreviation)" else 2
            offer(rank, position_of.get(definition.sentence, 0), definition)
    places = []
    for term_id in first_use:
        body_use = first_body_use.get(term_id)
        found = evidence.get(term_id, [])
        if body_use is not None and not _in_appendix(body_use.section):
            found = [e for e in found if not _in_appendix(e[2].section)]   # the body defines what it uses
        if found:
            places.append(min(found, key=lambda e: (e[0], e[1]))[2])
        else:
            term = matcher.terms[term_id]
            p = first_body_use.get(term_id) or first_use[term_id]
            places.append(TermDefinition(term_id, term.abbr or term.term, term.abbr, p.text, p.page_no, p.section,
                                         "first use"))
    return places


# A reporting clause before the term: what follows is a claim about it, not what it is
_CLAIMED = re.compile(r"\b(?:find|found|finds|show|shows|showed|shown|conclude|concluded|concludes|observe|observed|"
                      r"argue|argued|argues|demonstrate|demonstrated|demonstrates|confirm|confirmed|confirms|suggest|"
                      r"suggests|suggested|believe|hypothesi[sz]e)\s+that\s+(?:the\s+)?$", re.I)


def _says_what_it_is(text: str, start: int, end: int) -> bool:
    """The sentence says what the term is: the term is the subject of a defining verb ("Self-
    attention, sometimes called intra-attention is an attention mechanism ...", "Quantization is
    the process of ..."), or the paper presents it ("We present QLoRA, an efficient finetuning
    approach", "We propose a new simple network architecture, the Transformer, based ..."). A
    finding about it ("We conclude that DPO is a simple ... default") is not what it is."""
    after = text[end:end + 60]
    before = text[max(0, start - 80):start]
    if _CLAIMED.search(before):
        return False   # "We conclude that DPO is a simple and effective default": a finding, not what DPO is
    if start <= 40 and re.match(r"(?:s)?(?:\s*\([^)]*\))?(?:,[^,]{0,40},)?\s+(?:is|are)\s+(?:a|an|the)\b|"
                                r"(?:s)?\s+(?:refers? to|consists? of|is defined as|stands for|denotes)\b", after):
        return True
    presented = re.search(r"\bwe (?:propose|introduce|present)\b(?:[^.;]{0,60},)?\s*(?:the |a |an )?$", before, re.I)
    return bool(presented and re.match(r"(?:s)?,\s+(?:a|an|the|which|based|that)\b|\s*\(", after))


# --- what counts as a name ---------------------------------------------------------------------

def _named_in(text: str) -> list[tuple[str, str | None, str]]:
    """(name, abbreviation, rule) for each naming pattern in one sentence."""
    out: list[tuple[str, str | None, str]] = []
    for match in PAREN.finditer(text):
        abbr = _abbreviation(match.group(1))
        if abbr:
            long_form = _long_form(abbr, text[:match.start()])
            if long_form:
                out.append((long_form, abbr, "long form (abbreviation)"))
    for match in STANDS_FOR.finditer(text):
        long_form = _clean_phrase(match["long"])
        if long_form and _initials_fit(match["abbr"], long_form):
            out.append((long_form, match["abbr"], "stands for"))
    for match in WE_CALL.finditer(text):
        described = ITS_NAME.match(match["rest"])
        if described:
            name = _accept(_phrase(described["rest"].split()[:4], keep_lower=True), proper=False, one_word=True)
            if name:
                out.append((name, None, "we call"))
                continue
        name = _called_name(match["rest"], coined=True)
        if name:
            out.append((name, _trailing_abbr(match["rest"], name), "we call"))
    for match in DASH_GLOSS.finditer(text):
        for name in _glossed(match["before"]):
            out.append((name, None, "glossed"))
    for match in LOOSE.finditer(text):
        verb = match["verb"].lower()
        if verb == "named" and (match["before"] or "").lower() not in NAMED_AFTER:
            continue
        if (match["before"] or "").lower() == "we":
            continue
        name = _called_name(match["rest"], coined=False, proper=verb in ("namely", "named"))
        if name:
            out.append((name, _trailing_abbr(match["rest"], name), "called"))
    seen, unique = set(), []
    for name, abbr, rule in out:
        key = (_key(name), abbr)
        if key not in seen:
            seen.add(key)
            unique.append((name, abbr, rule))
    return unique


def _glossed(before: str) -> list[str]:
    """The phrases before a glossing dash that may be the term, longest first ("maintains block
    tables", "block tables"): which one the paper uses as a term is decided by `paper_terms`, on its
    uses elsewhere. Two words at least, or one hyphenated or coined word; never a verb's object
    alone ("is set"), a number, or a word of the sentence's grammar."""
    words = before.split()[-4:]
    names = []
    for n in range(len(words), 0, -1):
        window = words[-n:]
        if any(w.lower() in PHRASE_END | STOP | DETERMINERS for w in window) or not re.fullmatch(r"[A-Za-z-]+", window[-1]):
            continue
        if window[-1].lower().endswith(("ly", "ed")) or re.match(r"[A-Z]", window[0]) and n > 1 and len(words) > n:
            continue
        name = " ".join(window)
        if _accept(_clean_phrase(name), proper=False) == name:
            names.append(name)
    return names


def _abbreviation(inner: str) -> str | None:
    """The abbreviation in "(DPO)", "(PPO; [37])", "(LMs)"; None for "(1)", "(a)", "(Table 2)", citations."""
    inner = re.split(r"[;,]", inner)[0].strip()
    if not ABBR.fullmatch(inner) or re.fullmatch(r"[ivxlc]+|[0-9.\-]+|[A-Za-z]", inner, re.I):
        return None
    if re.fullmatch(r"(?:19|20)\d\d[a-z]?", inner):
        return None
    if sum(c.isupper() for c in inner) < 2:
        return None
    if re.fullmatch(r"[A-Z][A-Za-z0-9\-]*[A-Z0-9]s", inner):  # plural: LMs, ANNs, MFCCs
        inner = inner[:-1]
    return inner


def _long_form(abbr: str, before: str) -> str | None:
    """Schwartz & Hearst (2003): the shortest run of words ending just before the parenthesis whose
    letters contain the abbreviation's in order, its first letter starting a word. Digits ("NF4")
    may sit in a word before the letters ("4-bit NormalFloat")."""
    letters = [c.lower() for c in abbr if c.isalpha()]
    digits = [c for c in abbr if c.isdigit()]
    words = re.findall(r"\S+", before.rstrip())
    window = min(len(letters) + 5, 2 * len(letters))
    words = words[-window:]
    if not words or not letters:
        return None
    phrase = " ".join(words)
    i = len(phrase) - 1
    for k in range(len(letters) - 1, -1, -1):
        while i >= 0 and (phrase[i].lower() != letters[k] or (k == 0 and i > 0 and phrase[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    start = i + 1
    long_form = phrase[start:]
    if digits:
        head = phrase[:start].split()
        if head and any(d in head[-1] for d in digits):
            long_form = f"{head[-1]} {long_form}"
    long_form = _clean_phrase(long_form)
    if not long_form or len(long_form) <= len(abbr) or not _initials_fit(abbr, long_form):
        return None
    if len(re.split(r"[\s\-]+", long_form)) < min(2, len(letters)) and not re.search(r"[a-z][A-Z]", long_form):
        return None   # "network (NTK)": one plain word cannot spell three letters
    return long_form


def _initials_fit(abbr: str, long_form: str) -> bool:
    """Each content word of the long form starts with a letter (or digit) of the abbreviation, and
    no word is itself an abbreviation: "ground truth rewards (PPO-GT)" is no expansion."""
    chars = {c.lower() for c in abbr if c.isalnum()}
    for word in long_form.split():
        if word.lower() in STOP:
            continue
        if sum(c.isupper() for c in word) >= 2 and "-" not in word and not re.search(r"[a-z]{2}[A-Z]", word):
            return False
        if word[0].lower() not in chars:
            return False
    return True


def _clean_phrase(phrase: str) -> str | None:
    phrase = re.sub(r"\s*\[[\d,\s\-–]+\]\s*", " ", phrase)      # citation marks [5]
    phrase = re.sub(r"^[\W_]+|[\W_]+$", "", phrase.strip())
    words = phrase.split()
    while words and words[0].lower() in STOP:
        words = words[1:]
    phrase = " ".join(words)
    if not phrase or MATHY.search(phrase) or len(phrase) < 3 or not re.search(r"[A-Za-z]{2}", phrase):
        return None
    return phrase


def _called_name(rest: str, coined: bool, proper: bool = False) -> str | None:
    """The name after "we call", "called", "termed", ...: a quoted span; a capitalised name
    ("we call the resulting models InstructGPT"); or a short noun phrase after the object
    ("we call this the squeezing effect", "often termed adapters"). `proper`: only a name."""
    rest = rest.strip()
    quoted = QUOTED.search(rest[:80])
    if quoted and quoted.start() < 40:
        return _accept(_clean_phrase(quoted.group(1)), proper)
    words = [w for w in re.split(r"\s+|(?=\()", rest) if w][:12]
    capital = next((i for i, w in enumerate(words[:7]) if re.match(r"[A-Za-z0-9-]*[A-Z]", w) and not w.startswith("(")),
                   None)
    if capital is not None and any(w.lower() in PHRASE_END - {"the", "a", "an"} for w in words[:capital]):
        capital = None   # "we call bag translation from English": the capital comes after the name
    if capital is not None and (coined or capital == 0):
        return _accept(_phrase(words[capital:], keep_lower=False), proper)
    if proper:
        return None
    lead = 0
    if words and words[0].lower() in ("this", "these", "it", "them", "such", "each"):
        lead = 1
        while lead < min(len(words), 3) and (_generic(words[lead]) or words[lead].lower() in CLASSIFIERS):
            lead += 1   # "we call this effect distortion"
        article = next((i for i in range(lead, min(len(words), lead + 5)) if words[i].lower() in ("a", "an", "the")),
                       None)
        if article is not None:
            lead = article   # "we call this latter type of failure a search error"
    elif coined and words and words[0].lower() in DETERMINERS:
        return None   # "we term our two datasets ...": the object is not the name
    while lead < len(words) and words[lead].lower() in ("as", "the", "a", "an"):
        lead += 1
    return _accept(_phrase(words[lead:], keep_lower=True), proper, one_word=coined)


def _phrase(words: list[str], keep_lower: bool) -> str | None:
    """Words up to the first punctuation, parenthesis or function word; a capitalised name also
    stops at its first lower-case word that is not a connective ("Low Rank Adapters to ...")."""
    phrase: list[str] = []
    for word in words[:6]:
        bare = word.strip(",;“”\"'’‘")
        if not bare or word.startswith(("(", "[")) or bare.lower() in PHRASE_END:
            break
        if not keep_lower and phrase and not re.search(r"[A-Z0-9]", bare) and bare.lower() not in ("of", "for"):
            break
        phrase.append(bare)
        if word.endswith((",", ";")):
            break
    while phrase and phrase[-1].lower() in STOP:
        phrase.pop()
    return _clean_phrase(" ".join(phrase))


def _accept(name: str | None, proper: bool, one_word: bool = False) -> str | None:
    """The name, unless it is generic, a cross-reference, or (`one_word` aside: what the authors
    say they call something) one plain word."""
    if not name or _generic(name) or NOT_A_NAME.match(name):
        return None
    named_like = bool(re.search(r"[A-Z]", name))
    if proper and not named_like:
        return None
    if " " not in name and not named_like and "-" not in name and (not one_word or _everyday(name)):
        return None   # one plain word ("activations") is a use of English, not a coined term; what
        # the authors call something may be one, but not a word of every sentence ("we call upon")
    if len(name.split()) > 4 and not named_like:
        return None
    return name


def _everyday(word: str) -> bool:
    """One of the few thousand commonest English words ("upon", "these", "time"; wordfreq Zipf >= 5),
    never a term alone; "fertility" (3.8) and "distortion" (3.6) may be."""
    from wordfreq import zipf_frequency
    return zipf_frequency(word.lower(), "en") >= 5.0


def _trailing_abbr(rest: str, name: str) -> str | None:
    after = rest.split(name, 1)[1] if name in rest else ""
    match = re.match(r"\s*\(\s*([^()]{1,12})\s*\)", after)
    if not match:
        return None
    abbr = _abbreviation(match.group(1))
    return abbr if abbr and _initials_fit(abbr, name) else None


def _generic(name: str) -> bool:
    return all(w.lower() in GENERIC | STOP for w in name.split())


def _glossary_id(name: str, abbr: str | None, matcher: TermMatcher) -> str | None:
    """The course term this name is, when a glossary form covers the whole name."""
    for form in (name, abbr):
        if not form:
            continue
        for term_id, start, end in matcher.spans(form):
            if start == 0 and end >= len(form.rstrip("s")) - 1:
                return term_id
    return None


def _heading_terms(title: str, matcher: TermMatcher) -> list[str]:
    """Course terms a heading is about: the heading is the term, or the term is its head noun
    phrase ("3.2.2 Multi-Head Attention", "5.1 Pre-training BERT"), not a passing mention."""
    if re.match(r"^(?:why|how|what|when|effects?|comparison|comparing|analysis|ablations?|results?|experiments?|"
                r"evaluation|on|towards?|limitations?|illustrations?|proof|deriving|details)\b", title, re.I):
        return []
    spans = matcher.spans(title)
    words = len(re.findall(r"\w[\w-]*", title))
    out = []
    for term_id, start, end in spans:
        covered = len(re.findall(r"\w[\w-]*", title[start:end]))
        if covered >= max(1, words - 1) or start == 0 and covered >= words / 2:
            out.append(term_id)
    return out


def _in_appendix(section: str) -> bool:
    """Appendix sections are numbered with letters ("A.1 ..."); the body defines first."""
    return bool(re.match(r"^[A-H](?:\.\d+)*\s", section))


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower()).rstrip("s")


def slug_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "term"
