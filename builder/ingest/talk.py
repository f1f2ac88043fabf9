"""Talk file -> Transcript with faster-whisper, offline, from the model shipped on PyPI.

Audio is decoded straight from the container with PyAV; a file with no audio, no speech, a
damaged or a truncated stream becomes a PairError that names it.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

import av
import numpy as np

from ..errors import PairError
from ..machine import cpu_threads
from ..models.talk import Transcript
from . import chinese
from .language import Heard, cannot_write, foreign_spans, is_english, language_warnings
from .repeats import MAX_COMPRESSION, clean, joined_terms
from .sentences import TimedWord
from .whisper_models import MULTILINGUAL, Notice, english_path, label as model_label, model_path, \
    multilingual_installed, multilingual_path

SAMPLE_RATE = 16000
SILENCE_RMS = 1e-4
# Whisper's prompt holds half its 448-token context; hotwords and initial_prompt each get this much.
PROMPT_TOKENS = 223
# Decoded audio may fall this much short of the length the container declares before the file
# counts as truncated (encoder priming and rounding lose a few hundred milliseconds).
TRUNCATION_SLACK_S = 1.0
# Language detection: whisper's own rule (a language above 0.5 in one 30-s window, else the vote
# of up to this many windows); English and Mandarin clips here score 0.94-0.999 (BENCHMARKS.md).
DETECTION_WINDOWS = 4
HEARD_P = 0.5
# faster-whisper's Silero VAD reads 10,000 windows of 512 samples at a time: 320 s.
VAD_BLOCK_S = 320
# Whisper's own threshold (that of its temperature fallback) for words too unlikely on average to
# be what was said; its loop threshold is `repeats.MAX_COMPRESSION`.
UNLIKELY_LOGPROB = -1.0
# English's small words ("THE", "TO") written in capitals, in one window: speech whisper wrote in
# capitals (`_in_capitals`)
SHOUTED_SMALL_WORDS = 3
ProgressFn = Callable[[float, float], None]


@dataclass(frozen=True)
class WhisperSettings:
    """What changes the transcript (all of it goes into the cache key).

    Defaults are the fastest settings that keep the word error rate on the real speech in
    ../shared/data at its best (benchmarks/talk_transcribe.py, BENCHMARKS.md): greedy decoding,
    VAD on, the batched pipeline, int8 on CPU."""
    model: str | None = None          # a faster-whisper model name or folder; None: packaged tiny.en,
                                      # or the packaged multilingual base for a talk not in English
    device: str = "auto"
    compute_type: str = "auto"
    language: str | None = None
    beam_size: int = 1
    vad: bool = True
    batch_size: int = 8               # 30-s windows decoded together; 0: the sequential pipeline
    vocabulary: tuple[str, ...] = ()  # the paper's terms, most useful first (analyse/vocabulary.py)
    vocabulary_as: str = "hotwords"   # how whisper is given them: "hotwords", "prompt", "both" or "none"
    vocabulary_tokens: int = PROMPT_TOKENS   # at most this many prompt tokens of them, best ranked first

    @property
    def model_label(self) -> str:
        return model_label(self.model)


def default_model_path() -> str:
    return english_path()


def load_audio(path: Path) -> np.ndarray:
    """Mono 16 kHz float32 samples of the first audio stream.

    Damaged packets are skipped as a player would skip them; a stream that decodes to clearly
    less than the length its container declares is a truncated download and is refused."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as err:
        raise PairError(path, "cannot be opened as audio or video (damaged or unsupported format)",
                        "re-encode it, e.g. `ffmpeg -i in.mkv out.mp4`") from err
    with container:
        if not container.streams.audio:
            raise PairError(path, "has no audio track", "use a recording of the talk that includes sound")
        stream = container.streams.audio[0]
        declared_s = _declared_duration(container, stream)
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=SAMPLE_RATE)
        pending = _FrameGroups()
        chunks: list[np.ndarray] = []
        damaged = 0
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except (av.error.FFmpegError, ValueError):
                    damaged += 1
                    continue
                for group in pending.add(frames):
                    chunks.extend(out.to_ndarray()[0] for out in resampler.resample(group))
        except (av.error.FFmpegError, ValueError):
            damaged += 1  # the container itself ends early or is garbled: keep what came before
        for group in [*pending.rest(), None]:   # the last group, then what the resampler still holds
            chunks.extend(out.to_ndarray()[0] for out in resampler.resample(group))
    if not chunks:
        if damaged:
            raise PairError(path, "has a damaged audio stream that cannot be decoded",
                            "re-encode or download the talk again")
        raise PairError(path, "has an audio track with no samples", "check the file plays with sound")
    audio = np.concatenate(chunks).astype(np.float32)
    decoded_s = len(audio) / SAMPLE_RATE
    if declared_s and decoded_s < declared_s - max(TRUNCATION_SLACK_S, 0.02 * declared_s):
        raise PairError(path, f"is truncated: its audio stops at {decoded_s:.1f} s of the {declared_s:.1f} s "
                              f"the file declares", "copy or download the talk again")
    return audio


class _FrameGroups:
    """Decoded frames joined into groups of about GROUP_SAMPLES before they are resampled, as
    faster-whisper's own decoding does: a compressed stream decodes to frames of a few thousand
    samples, and resampling each on its own made decoding an hour of FLAC take 5.9 s (2.2 s in
    groups), and three times that while the embedding model loads beside it and holds the GIL.
    The resampler is a stream, so the samples are the same either way (identical arrays on every
    recording in ../shared/data/speech). A frame in another format, layout or rate ends a group."""
    GROUP_SAMPLES = 1 << 19

    def __init__(self):
        self._fifo: av.AudioFifo | None = None
        self._shape: tuple | None = None

    def add(self, frames) -> Iterator[av.AudioFrame]:
        for frame in frames:
            shape = (frame.format.name, frame.layout.name, frame.sample_rate)
            if shape != self._shape:
                yield from self.rest()
                self._fifo, self._shape = av.AudioFifo(), shape
            frame.pts = None   # the fifo checks timestamps run on; a skipped damaged packet breaks them
            self._fifo.write(frame)
            if self._fifo.samples >= self.GROUP_SAMPLES:
                yield self._fifo.read()

    def rest(self) -> Iterator[av.AudioFrame]:
        if self._fifo is not None and self._fifo.samples:
            yield self._fifo.read()


def _declared_duration(container, stream) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    return None


@functools.lru_cache(maxsize=2)
def _whisper(model: str, device: str, compute_type: str, threads: int):
    from faster_whisper import WhisperModel
    import ctranslate2
    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if compute_type == "auto":
        compute_type = "float16" if device == "cuda" else "int8"
    try:
        return WhisperModel(model, device=device, compute_type=compute_type, cpu_threads=threads)
    except (RuntimeError, ValueError, OSError) as err:
        raise PairError(model, f"cannot load the speech model ({err})",
                        "name a faster-whisper model folder that exists, or leave --whisper-model out") from err


@dataclass
class Recognised:
    """faster-whisper's output before it becomes a Transcript: the benchmark reads it too."""
    pieces: list  # faster_whisper Segment records
    heard: Heard
    prompt: str = ""  # the vocabulary as given to whisper (hotwords and/or initial prompt)
    model_label: str = ""     # the model that wrote `pieces` (the multilingual one for a non-English talk)
    language: str = ""        # the language it was transcribed as
    withheld: str = ""        # why nothing was transcribed: the model cannot write the talk's language


def recognise(audio: np.ndarray, settings: WhisperSettings, progress: ProgressFn | None = None,
              threads: int | None = None, notice: Notice | None = None,
              decoding: Callable[[], object] | None = None) -> Recognised:
    """Run faster-whisper with word timestamps on `audio`, reporting progress in audio seconds.

    The talk's language is what pair.yml says, else what a multilingual model hears. An
    English-only model never writes a talk in another language (it would make English up): by
    default the packaged multilingual model takes over; a chosen English-only model writes nothing.
    `decoding` is called once the model and language are settled, just before the speech is
    decoded: the build starts work beside the decoding there (see `gather.gather_pair`)."""
    threads = threads or cpu_threads()
    load = functools.partial(_whisper, device=settings.device, compute_type=settings.compute_type, threads=threads)
    name = settings.model
    model = load(model_path(name, notice))
    multilingual = bool(model.model.is_multilingual)
    language = settings.language
    detected, probability = "", 0.0
    listener = model if multilingual else None
    if listener is None and not is_english(language) and multilingual_installed():
        listener = load(multilingual_path())
    if listener is not None and (multilingual or language is None):
        detected, probability = detect_language(listener, audio, settings.vad)
        if language is None and probability >= HEARD_P:
            language = detected
    if not multilingual and language and not is_english(language):
        if name is None and multilingual_installed():
            name, model, multilingual = MULTILINGUAL, load(multilingual_path()), True
        else:
            heard = Heard(detected or language, probability, False, 0.0, [])
            return Recognised([], heard, "", model_label(name), language,
                              withheld=cannot_write(model_label(name), language, stated=bool(settings.language)))
    if multilingual and not detected:
        # the language was stated, so whisper will report it back; listen once to say if it fits
        detected, probability = detect_language(model, audio, settings.vad)
    if not multilingual:
        language = "en"
    options = dict(language=language, beam_size=settings.beam_size, word_timestamps=True,
                   vad_filter=settings.vad, condition_on_previous_text=False)
    style = chinese.PROMPT if chinese.is_chinese(language) else ""
    plain = dict(options, initial_prompt=style) if style else dict(options)   # for windows decoded again
    # hotwords and an initial prompt together share one budget: the prompt and the words decoded
    # after it must fit whisper's 448 tokens, or CTranslate2 refuses the window
    tokens = (lambda text: len(model.hf_tokenizer.encode(" " + text, add_special_tokens=False).ids))
    budget = min(settings.vocabulary_tokens, PROMPT_TOKENS // 2 if settings.vocabulary_as == "both" else PROMPT_TOKENS)
    budget -= tokens(style) if style else 0
    terms = settings.vocabulary if is_english(language) else said_as_printed(settings.vocabulary)
    prompt = vocabulary_prompt(terms, lambda text: tokens(text) <= budget)
    if prompt and settings.vocabulary_as in ("hotwords", "both"):
        options["hotwords"] = prompt
    initial = [style] if style else []
    if prompt and settings.vocabulary_as in ("prompt", "both"):
        initial.append(prompt)
    if initial:
        options["initial_prompt"] = " ".join(initial)
    duration_s = len(audio) / SAMPLE_RATE
    if decoding is not None:
        decoding()
    batched = settings.batch_size > 0 and (settings.vad or duration_s <= 30)
    if batched:
        from faster_whisper import BatchedInferencePipeline
        pieces, info = BatchedInferencePipeline(model).transcribe(audio, batch_size=settings.batch_size, **options)
    else:
        pieces, info = model.transcribe(audio, **options)   # the sequential pipeline has its own fallback
    found = []
    for piece in pieces:
        found.append(piece)
        if progress:
            progress(min(float(piece.end), duration_s), duration_s)
    if batched:
        found = decode_again_without_vocabulary(model, audio, found, plain, settings.batch_size)
    if progress:
        progress(duration_s, duration_s)
    if not detected:
        detected, probability = info.language or language or "", float(info.language_probability or 0.0)
    foreign = [] if multilingual else foreign_spans(
        found, lambda word: len(model.hf_tokenizer.encode(word, add_special_tokens=False).ids))
    speech_s = sum(float(p.end - p.start) for p in found)
    return Recognised(found, Heard(detected, float(probability), multilingual, speech_s, foreign),
                      prompt if settings.vocabulary_as != "none" else "", model_label(name), language or "en")


def decode_again_without_vocabulary(model, audio: np.ndarray, pieces: list, plain_options: dict,
                                    batch_size: int) -> list:
    """Each window whisper wrote as a loop ("train-ma-ma-ma-..."), in capitals ("TRANSLATION IS
    CLIT INTO TWO PARTS") or as words too unlikely to be what was said, decoded again without the
    paper's vocabulary.

    The batched pipeline decodes every window once, greedily, and keeps what comes out; a loop
    there cost a whole window of speech (28 s of a scripted talk once its paper's "LLaMA" was a
    hotword), which the loop removal then dropped. Whisper's own test finds the loop (text that
    compresses more than `repeats.MAX_COMPRESSION`). Hotwords in capitals (a scanned paper's
    headings) make whisper write the speech in capitals, and mishear it: speech is never written
    so (`_in_capitals`). A hotword can also stand for a whole window: whisper wrote only "LDA." for
    28 s of a survey's talk, with an average log-probability of -1.43, below its own fallback
    threshold (`UNLIKELY_LOGPROB`), and went on where the next window starts. The hotwords are what
    pulls a window astray, so the window, up to the next piece whisper wrote (what it skipped
    after going astray included), is decoded again alone without them, in the same pipeline (about
    2 s a window; the sequential pipeline's temperature fallback took 10 s a window and wrote
    made-up lines at its higher temperatures). A part still a loop, or unlikely, is left out; when
    nothing is left the window stays as it was and the loop removal cuts its repeats, as before."""
    from faster_whisper import BatchedInferencePipeline
    out = []
    for i, piece in enumerate(pieces):
        if not _astray(piece):
            out.append(piece)
            continue
        offset = float(piece.start)
        end = max(float(piece.end), float(pieces[i + 1].start) if i + 1 < len(pieces) else len(audio) / SAMPLE_RATE)
        window = audio[int(offset * SAMPLE_RATE):int(end * SAMPLE_RATE)]
        again, _ = BatchedInferencePipeline(model).transcribe(window, batch_size=batch_size, **plain_options)
        kept = [replace(part, start=part.start + offset, end=part.end + offset,
                        words=[replace(w, start=w.start + offset, end=w.end + offset) for w in part.words or []])
                for part in again if not _astray(part)]
        out.extend(kept or [piece])
    return out


def _astray(piece) -> bool:
    return _loop(piece) or _in_capitals(piece.text) or (piece.avg_logprob or 0.0) < UNLIKELY_LOGPROB


def _loop(piece) -> bool:
    return (piece.compression_ratio or 0.0) > MAX_COMPRESSION


def _in_capitals(text: str) -> bool:
    """Speech written in capitals: at least `SHOUTED_SMALL_WORDS` of English's small words set in
    capitals ("THE SECOND PART CONNECT. THE WORDS ... TO ... IN"). Whisper writes speech so only
    when primed with capitals; acronyms, however many a talk names ("BERT", "GLUE", "MNLI"), are
    never these words, and a Chinese talk has none of them."""
    return sum(word in _SMALL_WORDS for word in re.findall(r"\b[A-Z]+\b", text)) >= SHOUTED_SMALL_WORDS


_SMALL_WORDS = frozenset("THE AND OF TO IN IS ARE FOR THAT IT WITH AS ON THIS FROM BY AN AT BE WAS WE".split())


def detect_language(model, audio: np.ndarray, vad: bool) -> tuple[str, float]:
    """faster-whisper's `detect_language` over the first DETECTION_WINDOWS windows of speech,
    with the voice detection run on the start of the talk only: over a whole hour it costs more
    than the detection itself (14 of 15 s). The prefix grows until the speech found in it, less
    its last two stretches (which the audio after it could still change), fills the windows; the
    VAD reads the audio in blocks of VAD_BLOCK_S from the start, so every stretch before those is
    the one the whole talk gives, and so are the language and its probability."""
    speech = audio
    if vad:
        from faster_whisper.vad import collect_chunks, get_speech_timestamps
        wanted = DETECTION_WINDOWS * 30 * SAMPLE_RATE
        length = VAD_BLOCK_S * SAMPLE_RATE
        while True:
            prefix = audio[:length]
            stretches = get_speech_timestamps(prefix)
            settled = stretches if len(prefix) == len(audio) else stretches[:-2]
            if len(prefix) == len(audio) or sum(c["end"] - c["start"] for c in settled) >= wanted:
                break
            length *= 2
        speech = np.concatenate(collect_chunks(prefix, stretches)[0])
    detected, probability, _ = model.detect_language(speech, vad_filter=False,
                                                     language_detection_segments=DETECTION_WINDOWS)
    return detected, float(probability)


# A name said in any language as the paper prints it: one word with a capital letter ("DPO",
# "GPT-4", "RoFormer", "Transformer", "Bradley-Terry"), perhaps with a version ("Llama 2").
_PRINTED_NAME = re.compile(r"[^\s]*[A-Z][^\s]*(?: \d+(?:\.\d+)?)?")


def said_as_printed(terms: tuple[str, ...]) -> tuple[str, ...]:
    """The terms a talk in another language keeps in the paper's spelling: its names and
    abbreviations, not its title, long forms or section titles, which a Chinese speaker says in
    Chinese (the vocabulary gives those in lower case: `vocabulary._in_lower_case`). Given
    the whole English vocabulary, whisper base skipped up to half of a Mandarin recording (CER
    0.12 with no vocabulary, 0.50 with dpo.pdf's, 0.24 with qlora's and vllm's); with these names
    only, 0.11-0.13 with each of the eight papers tried (benchmarks/zh_asr.py, BENCHMARKS.md)."""
    return tuple(t for t in terms if _PRINTED_NAME.fullmatch(t.strip()))


def vocabulary_prompt(terms: tuple[str, ...], fits: Callable[[str], bool]) -> str:
    """The ranked terms as one list (`repeats.joined_terms`), as many as fit whisper's prompt,
    best first."""
    chosen: list[str] = []
    for term in terms:
        if fits(joined_terms(chosen + [term])):
            chosen.append(term)
    return joined_terms(chosen)


def clean_segments(result: Recognised, duration_s: float) -> list:
    """Sentences of what was heard, with whisper's loops, repeated lines, prompt echoes and
    hotwords written into noise removed."""
    words = timed_words(result.pieces, duration_s, result.language)
    segments = [s for s in clean(words, result.prompt).segments if _letters(s.text)]   # never a lone "。"
    if chinese.is_chinese(result.language):
        segments = [s for s in segments if not chinese.echoes_prompt(s.text)]
    return segments


def transcribe(path: Path, settings: WhisperSettings, progress: ProgressFn | None = None,
               notice: Notice | None = None, decoding: Callable[[], object] | None = None) -> Transcript:
    audio = load_audio(path)
    duration_s = len(audio) / SAMPLE_RATE
    if float(np.sqrt(np.mean(audio ** 2))) < SILENCE_RMS:
        raise PairError(path, "is silent: its audio track holds no sound", "check the talk's audio")
    result = recognise(audio, settings, progress, notice=notice, decoding=decoding)
    if result.withheld:
        return Transcript(file_name=path.name, duration_s=round(duration_s, 2), language=result.language,
                          model=result.model_label, segments=[], warnings=[result.withheld],
                          withheld=result.withheld)
    segments = clean_segments(result, duration_s)
    warnings = language_warnings(result.heard, settings.language, result.model_label)
    withheld = ""
    if not result.heard.multilingual_model and result.heard.foreign_spans and warnings:
        # the English-only model's made-up English on foreign speech is not published
        segments = [s for s in segments if not _inside(s, result.heard.foreign_spans)]
        if not segments:
            withheld = cannot_write(result.model_label, "", stated=False)
            warnings = [withheld]
    elif not segments:
        raise PairError(path, "has no recognisable speech", "check that the audio track holds the talk")
    return Transcript(file_name=path.name, duration_s=round(duration_s, 2), language=result.language,
                      model=result.model_label, segments=segments, warnings=warnings, withheld=withheld)


def _inside(segment, spans: list[tuple[float, float]]) -> bool:
    """Most of the segment lies in one of the spans."""
    length = max(segment.end_s - segment.start_s, 0.01)
    return sum(max(0.0, min(end, segment.end_s) - max(start, segment.start_s)) for start, end in spans) >= length / 2


def timed_words(pieces: list, duration_s: float, language: str | None = None) -> list[TimedWord]:
    """faster-whisper's words in order, every time clamped into [0, duration]; Chinese in
    Simplified characters (unless the talk is zh-TW/zh-HK) with Chinese punctuation."""
    def clamp(t: float) -> float:
        return round(min(max(float(t), 0.0), duration_s), 2)
    words = []
    for piece in pieces:
        found = [TimedWord(clamp(w.start), clamp(w.end), w.word, round(float(w.probability), 3))
                 for w in (piece.words or [])]
        said, text = "".join(w.raw for w in found).strip(), piece.text.strip()
        if _letters(said) < 0.8 * _letters(text):
            # the word alignment gave up part way (it does at a character whose bytes whisper split
            # wrongly): the rest of the piece's text, spread over the rest of its time by length
            if not (said and text.startswith(said)):
                found, said = [], ""
            start_s = found[-1].end_s if found else clamp(piece.start)
            found += _spread(text[len(said):], start_s, clamp(piece.end),
                             round(float(np.exp(getattr(piece, "avg_logprob", -1.0))), 3))
        words += found
    if chinese.is_chinese(language):
        raws = chinese.tidy_words([w.raw for w in words], chinese.keeps_traditional(language))
        words = [TimedWord(w.start_s, w.end_s, raw, w.probability) for w, raw in zip(words, raws) if raw.strip()]
    return words


def _letters(text: str) -> int:
    return len(re.sub(r"[\W_]", "", text))


_CLAUSE = re.compile(r"[^,.!?;:，。！？；：]+[,.!?;:，。！？；：]*")


def _spread(text: str, start_s: float, end_s: float, probability: float) -> list[TimedWord]:
    """`text` as clause-long words with times shared out by length (no word times to go by)."""
    clauses = [c for c in _CLAUSE.findall(text) if c.strip()]
    total = sum(len(c) for c in clauses) or 1
    words, at = [], start_s
    for clause in clauses:
        length_s = (end_s - start_s) * len(clause) / total
        raw = clause.strip() if chinese.has_cjk(clause.strip()[:1]) else " " + clause.strip()
        words.append(TimedWord(round(at, 2), round(at + length_s, 2), raw, probability))
        at += length_s
    return words


def media_duration(path: Path) -> float:
    with av.open(str(path)) as container:
        if container.duration:
            return container.duration / av.time_base
    return 0.0
