"""What a cold `build_course` costs on top of the transcription it cannot avoid.

Makes a long talk by looping the real recordings in ../shared/data/speech/real/ to --minutes,
pairs it with a 15-page paper (attention.pdf), then times, on the same audio:

  raw     faster-whisper alone: load the model, decode the audio, transcribe with the settings
          the build uses (tiny.en, int8, batched 8, beam 1, VAD, word timestamps);
  build   a cold `build_course` (empty cache and content): paper, figures, transcript, analysis,
          keyframes, embeddings, pages and checks.

and prints build / raw. Goal: <= 1.2. The talk is audio only, so keyframes cost nothing here.

Run: python benchmarks/build_overhead.py [--minutes 10] [--repeat 1]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from builder.config import CourseSettings  # noqa: E402
from builder.ingest.talk import SAMPLE_RATE, WhisperSettings, cpu_threads, default_model_path, load_audio  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
REAL_SPEECH = SHARED / "speech" / "real"
PAPER = SHARED / "papers" / "attention.pdf"


def make_long_talk(target: Path, minutes: float) -> float:
    """Loop the real English recordings into one FLAC of `minutes`; returns its length in seconds."""
    clips = [load_audio(p) for p in sorted(REAL_SPEECH.iterdir())
             if p.suffix in (".mp3", ".flac") and not p.name.startswith("zh_")]
    wanted = int(minutes * 60 * SAMPLE_RATE)
    pieces, have = [], 0
    while have < wanted:
        for clip in clips:
            pieces.append(clip[: wanted - have])
            have += len(pieces[-1])
            if have >= wanted:
                break
    audio = np.concatenate(pieces)
    samples = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
    with av.open(str(target), "w") as out:
        stream = out.add_stream("flac", rate=SAMPLE_RATE, layout="mono")
        for start in range(0, len(samples), SAMPLE_RATE * 10):
            frame = av.AudioFrame.from_ndarray(samples[None, start:start + SAMPLE_RATE * 10], format="s16",
                                               layout="mono")
            frame.sample_rate = SAMPLE_RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return len(samples) / SAMPLE_RATE


def raw_faster_whisper(talk: Path) -> float:
    """Seconds for faster-whisper alone, from loading the model to the last word."""
    settings = WhisperSettings()
    started = time.perf_counter()
    from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio
    model = WhisperModel(default_model_path(), device="cpu", compute_type="int8", cpu_threads=cpu_threads())
    audio = decode_audio(str(talk), sampling_rate=SAMPLE_RATE)
    pieces, _ = BatchedInferencePipeline(model).transcribe(
        audio, batch_size=settings.batch_size, language="en", beam_size=settings.beam_size, word_timestamps=True,
        vad_filter=settings.vad, condition_on_previous_text=False)
    words = sum(len(p.words or []) for p in pieces)
    elapsed = time.perf_counter() - started
    print(f"  raw faster-whisper: {elapsed:6.1f} s ({words} words)")
    return elapsed


def cold_build(talk: Path, work: Path) -> float:
    """Seconds for a cold build in a fresh course folder (empty cache and content)."""
    from builder.pipeline import build_course
    if work.exists():
        shutil.rmtree(work)
    pair = work / "sources" / "long"
    pair.mkdir(parents=True)
    shutil.copy(PAPER, pair / "paper.pdf")
    shutil.copy(talk, pair / "talk.flac")
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    settings = CourseSettings.for_root(work)
    started = time.perf_counter()
    summary = build_course(settings)
    elapsed = time.perf_counter() - started
    assert not summary.failed, summary.failed
    print(f"  cold build_course:  {elapsed:6.1f} s ({summary.line()})")
    return elapsed


def _measure(kind: str, talk: Path, work: Path) -> float:
    """Each measurement in a fresh Python, so neither inherits the other's imports or loaded models."""
    out = subprocess.run([sys.executable, __file__, "--measure", kind, "--talk", str(talk), "--work", str(work)],
                         check=True, capture_output=True, text=True).stdout
    print("\n".join(line for line in out.splitlines() if line.startswith("  ")))
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best is kept")
    parser.add_argument("--measure", choices=["raw", "build"], help=argparse.SUPPRESS)
    parser.add_argument("--talk", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(raw_faster_whisper(args.talk) if args.measure == "raw" else cold_build(args.talk, args.work))
        return
    with tempfile.TemporaryDirectory() as tmp:
        talk = Path(tmp) / "long.flac"
        length_s = make_long_talk(talk, args.minutes)
        print(f"talk: {length_s / 60:.1f} min of looped real speech; paper: {PAPER.name}; "
              f"{cpu_threads()} CPU thread(s)")
        raw, build = [], []
        for run in range(args.repeat):
            # alternate the order so neither always runs with a warm page cache or a busy neighbour
            order = ("build", "raw") if run % 2 else ("raw", "build")
            for kind in order:
                (raw if kind == "raw" else build).append(_measure(kind, talk, Path(tmp) / "course"))
        print(f"ratio (best cold build / best raw faster-whisper): {min(build) / min(raw):.2f} "
              f"({min(build):.1f} s / {min(raw):.1f} s)")


if __name__ == "__main__":
    main()
