"""What the talk adds: talk sentences that no passage of the paper supports.

A talk sentence is a supplement when all four hold:
- the paper does not support it by the validation's own test (`builder/check/support.py`): a
  close paper sentence (`MIN_SIMILARITY`) holding most of its content words (`MIN_OVERLAP`);
- it is not a garbled transcription: whisper was sure enough of its words (mean word probability
  at least `MIN_WORD_PROBABILITY`; a transcript without probabilities skips this test);
- it is in the speaker's own voice ("in my experience", "later work", "frankly"), or nothing in
  the paper comes close: its closest paper sentence is `UNSUPPORTED_SPREADS` standard deviations
  below the talk's median. Relative to the talk, not a fixed cosine, because how close a paper
  sentence comes depends on the model and on the languages: a Chinese sentence and its English
  original score lower with USE Multilingual than two English sentences with MiniLM, so a fixed
  0.30 took a third of a Chinese talk's plain explanations for remarks;
- it is not filler: it is long (`LONG_SENTENCE_WORDS`) or carries at least `MIN_CONTENT_WORDS`
  content words once greetings, thanks and the talk's own signposting ("let me recall", "to wrap
  up", "next slide") are set aside.
Two marks override the closeness test: once the speaker (or the slide) says that what follows is
not in the paper, the rest of the chapter is the speaker's own; a sentence quoting the paper's own
figures ("... reached 55%") reports the paper, whatever whisper made of its words.
The thresholds were measured on all scripted talks together (benchmarks/talk_pair.py, BENCHMARKS.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..ingest.chinese import cjk_count
from ..models.analysis import Chapter, Supplement
from ..models.talk import Segment, Word
from ..check.support import MIN_OVERLAP, MIN_SIMILARITY, content_words, normalise

SUPPORT_SIMILARITY = MIN_SIMILARITY      # the validation's own support test
SUPPORT_OVERLAP = MIN_OVERLAP
UNSUPPORTED_SPREADS = 2.0
SUPPORT_CANDIDATES = 3
MIN_WORD_PROBABILITY = 0.55
# Whisper is less sure of a sentence's first word than of the rest (median 0.75 against 0.95 over
# the scripted talks' transcripts; 34% of first words fall below 0.55, 15% of the others): a first
# word counts as heard from this probability, which cuts the same 15% of first words.
FIRST_WORD_PROBABILITY = 0.25
MIN_CONTENT_WORDS = 4
LONG_SENTENCE_WORDS = 18      # a sentence this long is never filler, however plain its words
# The speaker's own voice: first person singular (and "our own"), time after the paper and its
# reception, stance, advice to the listener (an imperative opening the sentence, "you will need"),
# practice beyond the paper (defaults, libraries), the course (homework, exams), what the paper lacks.
# "Later" is time after the paper, not a later place in a sequence or in training ("later positions").
_OWN_VOICE = re.compile(r"\b(i(?!-)|i'm|i've|i'd|my|me|mine|myself|our own|later(?! (positions?|tokens?|words?|layers?|steps?|stages?|frames?|iterations?|epochs?|rounds?|in (the|training|the sequence)))|today|nowadays|these days|follow[- ]?ups?(?! (question|layers?))|afterwards"
                        r"|(has|have|had) since|since then|ever since|next (week|time|year)|last (week|month|year|spring"
                        r"|summer|autumn|fall|winter)|within ((a|an|one|two|three|a few|several) )?(days?|weeks?|months?|years?)"
                        r"|(when|after|once|since) (it|this|the paper|this paper|the model|this model|they) came out"
                        r"|years? later|to this day|back then|in those (days|years)|(of|in|from) that (period|era)|at the time|went on to|widely (used|adopted)|in production"
                        r"|(the )?most recent|(almost|nearly) immediately"
                        r"|(standard|the norm|the default) now|now (standard|the norm|the default)"
                        r"|(in )?the (last|past) (two|three|few|several|\d+) (months|years)"
                        r"|frankly|honestly|to be honest|the honest answer|personally|funny|in practice|from practice"
                        r"|worth (trying|a try|it)|you should|make sure|be careful|safer choice|if you (try|use|download|install)"
                        r"|^ *((so|and|then|also|finally|now),? )?(watch|keep|avoid|remember|try|never|always|don't|do not"
                        r"|check|start with|begin with|use (a|an|the|your)|(lower|raise|increase|decrease|reduce) (the|your)) "
                        r"|you('ll| will) need|by default"
                        r"|(common|popular|standard|most|many) librar(y|ies)|homework|assignments?|exams?|(the|this|an|our) exercise|course page|office hours|your (own )?projects?"
                        r"|your notes|students (often|usually|tend|sometimes|commonly)"
                        r"|(paper|authors?) (does not|do not|did not|doesn't|don't|didn't|never|skips?|leaves? out)"
                        r"|beyond the paper|not in the paper"
                        # what came after the paper and how it was received, named as such
                        r"|subsequent (work|papers?|studies|research)|newer (models?|versions?|systems?)"
                        r"|since (its|it's|their) (publication|release)|(quickly|soon|rapidly) (adopted|picked up)"
                        r"|(became|has become|have become) (one of )?(the )?(defaults?|standards?|norm|(very |quite )?popular)"
                        r"|critics|reproductions|re-?implementations|cited (by )?(thousands|hundreds|many)"
                        # a practitioner's caution, told as such
                        r"|common (mistake|pitfall|trap)s?|rules? \w{1,3} thumb|word of warning|in hindsight|with hindsight|caveat"
                        r"|practitioners (usually|often|tend|typically)|in (class|lecture)|my (lab|group|team)|our lab)\b")
_SIGNPOSTS = re.compile(r"\b(let me|let's|i will|i'll|i am going to|i'm going to|i want to|i'd like to"
                        r"|(today|now|here|first|next),? (i|we)|today's (topic|paper|talk|lecture|class|seminar|session|episode|reading)|this (week's|time)"
                        r"|for today(?!['’]s))\b")
# The same marks in Chinese, one for each of the English ones: first person singular (我, not 我们),
# time after the paper and its reception, stance, advice to the listener, what the paper lacks.
_OWN_VOICE_ZH = re.compile(r"我(?!们)|后来|后续|此后|从那(以后|之后|时起)|自那以后|在那之后|如今|直到今天|到今天|今天"
                           r"|现在(已经|大家|很多|仍然|还|人人|基本|普遍|几乎)|这些年|这几年|近(两|三|几|\d+)年"
                           r"|过去的?(两|三|几|\d+)(个月|年)|下周|下次|明年|上周|上个月|去年|那(个)?时候|当时"
                           r"|(刚|一)(发布|出来|问世)|(发布|问世|出来)的?(时候|那年)|(几|一|两|三|四|五|十|\d+)(天|周|个星期|个月|年)(之内|以内|内|以后|之后|后)|至今|不到(一|两|三|几|半)(天|周|个月|年)"
                           r"|广泛(使用|采用|应用)|流行|生产(系统|环境)|(成了|成为|已经是)(标准|常态|默认|主流)"
                           r"|说实话|老实说|坦白(地)?说|好玩|有趣的是|有意思的是|在实践中|实践(中|里|上)|来自实践|实际(使用|训练|应用)中"
                           r"|值得多?(一试|试|尝试)|你(应该|最好|一定要)|如果你|确保|要(留意|注意|小心)|更稳妥|记得|提醒|你(们)?(会)?需要|默认|常用的?库"
                           r"|我们自己的|作业|考试|练习题?|课程主页|答疑|笔记|同学们?(常常|经常|往往|容易|总是)"
                           r"|那个(时期|年代)|最新的|几乎(立刻|马上)"
                           r"|(论文|文章|作者)(里|中)?(并)?(没有|没)|论文之外"
                           r"|常见(的)?(错误|坑|陷阱)|经验法则|事后(看来|来看)|复现|被引用了?(上千|几千|上万|很多)")
# Signposts that use those words to steer the talk, not to speak for the speaker.
_SIGNPOSTS_ZH = re.compile(r"我(会|先|来|想|要|就|再|回过头来?|在这里)[^，。！？]{0,8}?(讲|说|介绍|回顾|看|带|停|展示|回到|讨论)"
                           r"|今天(我们?|的(论文|主题|内容|读书会|安排|计划)|要讲|讲|就|要?(读|看|介绍|聊)的)")
# The speaker saying that what follows is not the paper's ("Finally, a tip that is not in the paper",
# a slide titled "Not in the paper!", "这些是论文之外的内容"): the rest of the chapter is the talk's own
_ANNOUNCES_OWN = re.compile(r"\b(not (in|from) the paper|beyond the paper|outside the paper|my own take ?aways?)\b(?!['’]s)"
                            r"|论文(里|中)?(没有|没讲|没提)|论文之外|不在论文")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?: ?%)?")   # whisper writes "99 %" as often as "99%"
_CONTINUES = re.compile(r"\W*(so|and|but|which|because|or|though|although)\b", re.I)
_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SENTENCE_END = re.compile(r"[.!?。！？][\"')\]”’」』]*$")
# A comma followed by a silence this long ends a sentence: whisper primed with a list of terms
# sometimes writes a speaker's full stops as commas ("..., the skip-gram model, if you download the
# vectors today, ..."). Over 8 scripted talks, 88% of the commas where a sentence ended are followed
# by half a second or more of silence, 3% of those inside a sentence (BENCHMARKS.md, "The
# hotwords' punctuation"); people pause so at the end of a sentence, less within one.
SENTENCE_PAUSE_S = 0.5
# Chinese words that carry the talk rather than its subject (as DISCOURSE_WORDS below).
ZH_DISCOURSE_WORDS = frozenset("""
大家 早上好 下午好 晚上好 你好 欢迎 谢谢 感谢 今天 这节课 这节 课上 这一讲 下面 首先 然后 接着 最后 总结 回顾 一下 我们
这里 这个 那个 这些 那些 一点 几点 讲讲 讲一讲 说说 看看 来看 问题 部分 内容 时间 东西 就是 其实 所以 因为 但是 而且
""".split())
# Words that carry the talk, not its subject: greetings, thanks, signposting, the talk itself.
DISCOURSE_WORDS = frozenset("""
hello hi hey morning afternoon evening everyone everybody welcome thank thanks talk lecture seminar
slide slides today week episode podcast question questions recall remind wrap summary summarise
summarize conclude conclusion close closing start begin next previous later back moment minute look
let going come coming walk mention briefly quickly idea ideas point points part happy listening
coming see time good great okay alright right folks guys people group reading ask asked first
tell want discuss explain sum message line
""".split())


@dataclass
class TalkSentence:
    start_s: float
    end_s: float
    text: str
    probability: float | None     # mean whisper word probability; None when not recorded
    heard_text: str = ""          # the text without the words whisper was unsure of


def talk_sentences(segments: list[Segment]) -> list[TalkSentence]:
    """The transcript cut into sentences at the words that end one, so a segment holding two
    sentences (or a sentence spread over two segments) is judged sentence by sentence: a word with
    a full stop, or with a comma and a pause after it (`SENTENCE_PAUSE_S`)."""
    sentences = [TalkSentence(run.bare.start_s, run.bare.end_s, run.bare.text.strip(), None, run.bare.text.strip())
                 if run.bare else _sentence(run) for run in _sentence_runs(segments, across_segments=True)]
    return [s for s in sentences if s.text]


def sentence_pieces(segments: list[Segment]) -> list[Segment]:
    """Each segment cut where a sentence ends within it (as `talk_sentences` cuts), never joined
    across segments: the pieces a talk's chapters are made of. Whisper groups sentences into
    segments as its prompt leads it (one per pause, or several run together), and chapters cut
    between segments would follow that grouping rather than the speaker's sentences."""
    pieces = [run.bare or Segment(run.words[0].start_s, run.words[-1].end_s, run.written(run.words), list(run.words))
              for run in _sentence_runs(segments, across_segments=False)]
    return [piece for piece in pieces if piece.text.strip()]


@dataclass(frozen=True)
class _Run:
    """One sentence's words, and whether a pause after a comma ended it, or ended the one before
    it; or `bare`, a segment whisper gave without words, as it is."""
    words: list[Word]
    ended_by_pause: bool = False
    opened_by_pause: bool = False
    bare: Segment | None = None

    def written(self, words: list[Word]) -> str:
        """`words` (the run's, or those of them whisper was sure of) as a sentence: the comma whisper
        wrote where a pause ended it shown as the full stop it was, and the sentence after such a
        pause opening with a capital ("Hello everyone. In this talk ...")."""
        text = _joined(words)
        if self.ended_by_pause and text.endswith(","):
            text = text[:-1] + "."
        return text[:1].upper() + text[1:] if self.opened_by_pause else text


def _sentence_runs(segments: list[Segment], across_segments: bool):
    """Each sentence as a `_Run`. `across_segments`: a sentence a segment leaves unfinished goes on
    into the next one."""
    pending: list[Word] = []
    opened = False
    for segment in segments:
        if not segment.words or not across_segments:
            if pending:
                yield _Run(pending, False, opened)
                pending, opened = [], False
        if not segment.words:
            yield _Run([], bare=segment)
            continue
        for word in segment.words:
            if _pause_ends_sentence(pending, word):
                yield _Run(pending, True, opened)
                pending, opened = [], True
            pending.append(word)
            if _SENTENCE_END.search(word.text.strip()):
                yield _Run(pending, False, opened)
                pending, opened = [], False
    if pending:
        yield _Run(pending, False, opened)


def _pause_ends_sentence(before: list[Word], word: Word) -> bool:
    """Does the sentence end before `word`: the word before it ends with a comma and a pause follows."""
    return bool(before) and before[-1].text.strip().endswith(",") and word.start_s - before[-1].end_s >= SENTENCE_PAUSE_S


def _sentence(run: _Run) -> TalkSentence:
    words = run.words
    probs = [w.probability for w in words if w.probability is not None]
    sure = [w for i, w in enumerate(words) if w.probability is None
            or w.probability >= (FIRST_WORD_PROBABILITY if i == 0 else MIN_WORD_PROBABILITY)]
    return TalkSentence(words[0].start_s, words[-1].end_s, run.written(words),
                        float(np.mean(probs)) if probs else None, run.written(sure))


def _joined(words: list[Word]) -> str:
    text = ""
    for word in words:   # words are stored without their leading space; none between CJK characters
        piece = word.text.strip()
        glued = not text or piece[:1] in "-'’" or (_CJK.match(text[-1]) and _CJK.match(piece[:1]))
        text += ("" if glued else " ") + piece
    return text.strip()


def is_filler(text: str) -> bool:
    """Greetings, thanks and signposts: short, with too few content words once the talk's own words
    are out ("ask not what your country can do for you, ..." is plain words but no filler). Chinese
    counts its word units of two characters or more (jieba), and its characters for length."""
    if cjk_count(text) >= 4:
        return len(subject_words(text)) < MIN_CONTENT_WORDS and cjk_count(text) < 2 * LONG_SENTENCE_WORDS
    return len(subject_words(text)) < MIN_CONTENT_WORDS and len(text.split()) < LONG_SENTENCE_WORDS


def subject_words(text: str) -> list[str]:
    """The words a text says about its subject: its content words once the talk's own words
    (greetings, thanks, signposts) are out; in Chinese, its word units of two characters or more
    (jieba) besides."""
    words = [w for w in content_words(text) if w not in DISCOURSE_WORDS]
    if cjk_count(text) >= 4:
        from ..ingest.chinese import words as chinese_words
        words += [w for w in chinese_words(text) if cjk_count(w) >= 2 and w not in ZH_DISCOURSE_WORDS]
    return words


def is_garbled(sentence: TalkSentence, min_probability: float = MIN_WORD_PROBABILITY) -> bool:
    return sentence.probability is not None and sentence.probability < min_probability


def support_scores(sentences: list[TalkSentence], sentence_vectors: np.ndarray, passages_text: list[str],
                   passage_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence: similarity of its closest paper sentence, and the share of its content words
    found in its few closest paper sentences (the word test of the validation's support check)."""
    if not len(passage_vectors) or not sentences:
        return np.zeros(len(sentences)), np.zeros(len(sentences))
    scores = sentence_vectors @ passage_vectors.T
    similarity = scores.max(axis=1)
    overlap = np.zeros(len(sentences))
    for i, sentence in enumerate(sentences):
        words = content_words(sentence.text) - DISCOURSE_WORDS
        if not words:
            continue
        closest = np.argsort(-scores[i])[:SUPPORT_CANDIDATES]
        found = frozenset().union(*(content_words(passages_text[j]) for j in closest))
        overlap[i] = len(words & found) / len(words)
    return similarity, overlap


def own_voice(text: str) -> bool:
    """Does the sentence speak for the speaker rather than the paper: first person singular (once
    signposts like "let me" and "I will" are set aside), time after the paper ("later work", "has
    since", "nowadays"), a stance ("frankly"), or saying what the paper does not?"""
    return bool(_english_marks(text)) or bool(_OWN_VOICE_ZH.search(_SIGNPOSTS_ZH.sub(" ", text)))


def _english_marks(text: str) -> list[str]:
    """The marks of the speaker's own voice in an English text, once its signposts are set aside."""
    return [match.group() for match in _OWN_VOICE.finditer(_SIGNPOSTS.sub(" ", normalise(text)))]


def voiced(sentence: TalkSentence) -> bool:
    """Is the sentence in the speaker's own voice, by words whisper heard? A one-word mark ("I",
    "my", "later") must have been heard clearly: whisper turns "baseline" into "base I". A mark of
    two words or more ("at the time", "the honest answer") counts when one of its words was unsure:
    a mis-heard word rarely completes such a phrase by chance, and the unsure word is often the
    short one of a synthetic or fast voice ("at", "honest")."""
    return own_voice(sentence.heard_text) or any(len(mark.split()) >= 2 for mark in _english_marks(sentence.text))


def _quotes_the_papers_figures(text: str, printed: set[str]) -> bool:
    """A sentence whose figures the paper prints reports the paper, whatever whisper made of its
    words ("The reinforcement learning base I reached 55%": baseline, heard as "base I"): a
    percentage or a decimal, or two numbers or more, every one of them printed in the paper
    (`printed_figures`: a speaker says "about 99%" for a printed 99.3%). A lone round number
    ("50 layers", "one in 10") is too common to tell."""
    numbers = [n for n in map(_figure, _NUMBER.findall(text)) if len(n.rstrip("%")) >= 2 or n.endswith("%")]
    telling = any(n.endswith("%") or "." in n for n in numbers) or len(numbers) >= 2
    return telling and all(n in printed for n in numbers)


def printed_figures(passages_text: list[str]) -> set[str]:
    """The paper's figures as a talk may say them: as printed, and a decimal also cut or rounded
    to a whole number (99.3% as 99%, 28.6 as 28 or 29)."""
    out = set()
    for figure in map(_figure, _NUMBER.findall(" ".join(passages_text))):
        out.add(figure)
        number, percent = figure.rstrip("%"), "%" if figure.endswith("%") else ""
        if re.fullmatch(r"\d+\.\d+", number):
            out.update({f"{int(float(number))}{percent}", f"{round(float(number))}{percent}"})
    return out


def _figure(number: str) -> str:
    return number.replace(" ", "")


def _fragments(sentences: list[TalkSentence], i: int) -> list[TalkSentence]:
    """The filler-short pieces right before and after sentence i, within a breath (1.5 s); one
    after it only when it goes on from it ("so ...", "and ...")."""
    out = []
    if i > 0 and is_filler(sentences[i - 1].text) and sentences[i].start_s - sentences[i - 1].end_s < 1.5:
        out.append(sentences[i - 1])
    after = sentences[i + 1] if i + 1 < len(sentences) else None
    if after and is_filler(after.text) and after.start_s - sentences[i].end_s < 1.5 and _CONTINUES.match(after.text):
        out.append(after)    # a tail goes on from the sentence ("so ...", "and ..."); else it leads into the next
    return out


def find_supplements(chapters: list[Chapter], sentences: list[TalkSentence], sentence_vectors: np.ndarray,
                     passages_text: list[str], passage_vectors: np.ndarray) -> list[Supplement]:
    """A sentence the validation's support test would not accept from the paper, that is neither
    filler nor garbled, and that either finds nothing close in the paper (far below the talk's
    usual closeness) or speaks in the speaker's own voice. A short lead-in ("A tip from my
    own runs:", "Frankly,") or a short tail (", so it is worth a try.") that whisper cut off lends
    its voice to the sentence next to it. Once the speaker says that what follows is not the paper's
    ("a tip that is not in the paper", or a slide saying so), the rest of the chapter is their own."""
    if not chapters or not len(passage_vectors):
        return []
    similarity, overlap = support_scores(sentences, sentence_vectors, passages_text, passage_vectors)
    unsupported_below = float(np.median(similarity) - UNSUPPORTED_SPREADS * np.std(similarity)) if len(similarity) else 0.0
    out = []
    printed = printed_figures(passages_text)
    announced: set[int] = {c.index for c in chapters if _ANNOUNCES_OWN.search(normalise(c.slide_text))}
    for i, sentence in enumerate(sentences):
        chapter = next((c.index for c in chapters if c.start_s <= sentence.start_s < c.end_s), chapters[-1].index)
        supported = similarity[i] >= SUPPORT_SIMILARITY and overlap[i] >= SUPPORT_OVERLAP
        if _ANNOUNCES_OWN.search(normalise(sentence.heard_text)):   # NFKC and lower case keep 论文之外 as it is
            announced.add(chapter)
            if is_filler(sentence.text):
                continue   # "Finally, a tip that is not in the paper.": the announcement, not the tip
        # in a chapter the speaker has said is their own, a short tip ("So always check your data
        # first.") is no filler; a greeting, thanks or "that brings us to the end" still is
        filler = is_filler(sentence.text) and not (chapter in announced and len(set(subject_words(sentence.text))) >= 3)
        if supported or filler or is_garbled(sentence) or _quotes_the_papers_figures(sentence.text, printed):
            continue
        if similarity[i] >= unsupported_below and chapter not in announced \
                and not (voiced(sentence) or any(voiced(f) for f in _fragments(sentences, i))):
            continue
        out.append(Supplement(chapter, round(sentence.start_s, 2), sentence.text, round(float(similarity[i]), 3)))
    return out
