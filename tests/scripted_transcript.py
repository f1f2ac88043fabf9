"""A talk script (../shared/data/talks/*/script.json, benchmarks/talks/*/script.json) turned into
the transcript whisper would give for a clear reading, with the truth make_talk.py would write.

For talks in a language no packaged voice can speak so that whisper understands it (espeak-ng's
Mandarin is not), the analysis is measured on the script's own sentences: one segment per sentence,
words timed at a steady rate (Chinese cut into jieba word units, as whisper writes them), a pause
between sentences and a longer one between chapters, as in make_talk.py."""
from __future__ import annotations

from builder.ingest.chinese import has_cjk, words as chinese_words
from builder.models import Segment, Transcript, Word

WORDS_PER_S = 2.6            # English
CHARACTERS_PER_S = 4.5       # Mandarin, read clearly
SENTENCE_PAUSE_S = 0.35
CHAPTER_PAUSE_S = 1.0


def _timed_words(text: str, start: float) -> tuple[list[Word], float]:
    pieces = chinese_words(text) if has_cjk(text) else text.split()
    out, t = [], start
    for piece in pieces:
        length = (len(piece) / CHARACTERS_PER_S) if has_cjk(piece) else (1.0 / WORDS_PER_S if piece.strip() else 0.0)
        out.append(Word(round(t, 3), round(t + length, 3), piece))
        t += length
    return out, t


def scripted_transcript(script: dict, file_name: str = "talk.mp4") -> tuple[Transcript, dict]:
    """(the transcript, the truth in make_talk.py's truth.json format)."""
    language = script.get("language", "en")
    segments, chapters, t = [], [], 0.0
    for index, chapter in enumerate(script["chapters"]):
        t += CHAPTER_PAUSE_S if index else 0.3
        start, sentences = t, []
        for sentence in chapter["sentences"]:
            words, end = _timed_words(sentence["text"], t)
            segments.append(Segment(round(t, 3), round(end, 3), sentence["text"], words))
            sentences.append({"start": round(t, 2), "end": round(end, 2), "text": sentence["text"],
                              "supplement": bool(sentence.get("supplement"))})
            t = end + SENTENCE_PAUSE_S
        chapters.append({"slide": chapter["slide"], "section": chapter["section"], "start": round(start, 2),
                         "end": round(t, 2), "sentences": sentences})
    truth = {"paper": script["paper"], "terms": script.get("terms", []), "slides": script.get("slides", True),
             "duration": round(t, 2), "chapters": chapters}
    return Transcript(file_name, round(t, 2), language, "script", segments), truth
