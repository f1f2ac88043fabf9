"""Real-time factor and word error rate of talk transcription for several faster-whisper settings.

Goal on 2 CPU cores: >= 30x real time with WER <= 10% on the real speech in ../shared/data/speech
(jfk.flac, each channel of stereo_diarization.wav, the English half of multilingual.mp3, scored
against references.json). Speed is measured on a longer talk: a SYNTHETIC one, espeak-ng reading
sentences of two of the papers with the real clips spliced in between (needs `espeak-ng`).

Run: python benchmarks/talk_transcribe.py [--minutes 6] [--threads 2]
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.ingest.paper import ingest_paper  # noqa: E402
from builder.ingest.talk import SAMPLE_RATE, WhisperSettings, load_audio, recognise  # noqa: E402
from builder.ingest.wer import WordErrors, word_errors  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SPEECH = SHARED / "speech"

SETTINGS = [
    ("plain, beam 5, VAD on", WhisperSettings(beam_size=5, vad=True, batch_size=0)),
    ("plain, beam 1, VAD on", WhisperSettings(beam_size=1, vad=True, batch_size=0)),
    ("plain, beam 1, VAD off", WhisperSettings(beam_size=1, vad=False, batch_size=0)),
    ("batched 8, beam 5, VAD on", WhisperSettings(beam_size=5, vad=True, batch_size=8)),
    ("batched 8, beam 1, VAD on", WhisperSettings(beam_size=1, vad=True, batch_size=8)),
    ("batched 16, beam 1, VAD on", WhisperSettings(beam_size=1, vad=True, batch_size=16)),
]


@dataclass
class Clip:
    name: str
    audio: np.ndarray
    reference: str
    prefix: bool = False   # the reference covers only the start of the clip


def channel(path: Path, index: int) -> np.ndarray:
    """One channel of a stereo file at 16 kHz (load_audio mixes channels, which mixes speakers)."""
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=SAMPLE_RATE)
    with av.open(str(path)) as container:
        parts = [out.to_ndarray()[index] for frame in container.decode(audio=0) for out in resampler.resample(frame)]
    return np.concatenate(parts).astype(np.float32)


def real_clips() -> list[Clip]:
    refs = json.loads((SPEECH / "references.json").read_text(encoding="utf-8"))
    stereo = refs["stereo_diarization.wav"]["channels"]
    return [
        Clip("jfk.flac", load_audio(SPEECH / "jfk.flac"), refs["jfk.flac"]["text"]),
        Clip("stereo (left)", channel(SPEECH / "stereo_diarization.wav", 0), stereo["left"]),
        Clip("stereo (right)", channel(SPEECH / "stereo_diarization.wav", 1), stereo["right"]),
        Clip("multilingual (en)", load_audio(SPEECH / "multilingual.mp3"),
             refs["multilingual.mp3"]["text_en"], prefix=True),
    ]


def plain_sentences(pdf: Path) -> list[str]:
    """Sentences a speech synthesiser reads as written: letters and light punctuation only."""
    keep = []
    for passage in ingest_paper(pdf).passages:
        text = passage.text.strip()
        if re.fullmatch(r"[A-Za-z ,;'-]+\.", text) and 8 <= len(text.split()) <= 40:
            keep.append(text)
    return keep


def speak(text: str, folder: Path, n: int) -> np.ndarray:
    wav = folder / f"part{n}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(wav), text], check=True)
    return load_audio(wav)


def synthetic_talk(minutes: float, clips: list[Clip]) -> Clip:
    """espeak-ng paragraphs from attention.pdf and bert.pdf, with the real referenced clips between."""
    if not shutil.which("espeak-ng"):
        sys.exit("espeak-ng is needed for the synthetic talk: apt-get install -y espeak-ng")
    sentences = plain_sentences(SHARED / "papers" / "attention.pdf") + plain_sentences(SHARED / "papers" / "bert.pdf")
    pause = np.zeros(SAMPLE_RATE, dtype=np.float32)
    audio: list[np.ndarray] = []
    words: list[str] = []
    inserts = [c for c in clips if not c.prefix]
    with tempfile.TemporaryDirectory() as tmp:
        n = 0
        while sum(len(a) for a in audio) < minutes * 60 * SAMPLE_RATE and n * 5 < len(sentences):
            paragraph = " ".join(sentences[n * 5:(n + 1) * 5])
            audio += [speak(paragraph, Path(tmp), n), pause]
            words.append(paragraph)
            clip = inserts[n % len(inserts)]
            audio += [clip.audio, pause]
            words.append(clip.reference)
            n += 1
    return Clip("synthetic talk", np.concatenate(audio), " ".join(words))


def text_of(pieces) -> str:
    return " ".join(p.text.strip() for p in pieces)


def run(clip: Clip, settings: WhisperSettings, threads: int) -> tuple[WordErrors, float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = recognise(clip.audio, settings, threads=threads)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return word_errors(clip.reference, text_of(result.pieces), clip.prefix), wall, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=6.0, help="length of the synthetic talk")
    parser.add_argument("--threads", type=int, default=2, help="CTranslate2 CPU threads")
    args = parser.parse_args()
    clips = real_clips()
    talk = synthetic_talk(args.minutes, clips)
    talk_s = len(talk.audio) / SAMPLE_RATE
    real_s = sum(len(c.audio) for c in clips) / SAMPLE_RATE
    print(f"real speech: {len(clips)} clips, {real_s:.0f} s; synthetic talk: {talk_s:.0f} s; "
          f"{args.threads} threads, int8, tiny.en")
    run(clips[0], SETTINGS[0][1], args.threads)  # load the model and VAD once, outside the timings
    print(f"{'setting':<28}{'real WER':>9}{'synth WER':>10}{'RTF wall':>10}{'RTF CPU':>9}{'min logprob':>13}")
    for label, settings in SETTINGS:
        real = WordErrors(0, 0, 0, 0)
        logprobs = []
        for clip in clips:
            errors, _, _, result = run(clip, settings, args.threads)
            real = real + errors
            # lowest confidence on English speech (multilingual.mp3 turns German at about 30 s)
            logprobs += [p.avg_logprob for p in result.pieces if not clip.prefix or p.end < 30]
        synth, wall, cpu, result = run(talk, settings, args.threads)
        logprobs += [p.avg_logprob for p in result.pieces]
        # RTF: seconds of audio per second of wall clock (and per CPU-second across all threads)
        print(f"{label:<28}{real.rate:>9.1%}{synth.rate:>10.1%}{talk_s / wall:>9.1f}x{talk_s / cpu:>8.1f}x"
              f"{min(logprobs):>13.2f}")
    default = WhisperSettings()
    print(f"\nWER per real clip with the defaults ({default})")
    for clip in clips:
        errors, _, _, _ = run(clip, default, args.threads)
        print(f"  {clip.name:<20}{errors.rate:>7.1%}  ({errors.errors} errors / {errors.reference_words} words)")


if __name__ == "__main__":
    main()
