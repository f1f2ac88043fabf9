"""What a cold `build_course` costs on top of the transcription it cannot avoid.

Makes a long talk by looping the real recordings in ../shared/data/speech/real/ to --minutes,
pairs it with a 15-page paper (attention.pdf), then times, on the same audio, each in a fresh
Python process:

  raw           faster-whisper alone: load the model, decode the audio, transcribe with the
                settings the build uses (tiny.en, int8, batched 8, beam 1, VAD, word timestamps);
  raw+hotwords  the same, given the hotwords the build gave whisper (the paper's vocabulary, read
                from the build's own call, so the two runs decode exactly alike);
  build         a cold `build_course` (empty cache and content): paper, figures, slides,
                transcript, analysis, keyframes, embeddings, pages and checks.

With --slides the talk is a video: a slide a minute (title and bullets, drawn by
tests/slide_video.py, two builds each), encoded by ffmpeg as ../shared/tools/make_talk.py does
(5 fps, x264, so keyframes are 50 s apart and the picture must be decoded whole), the same sound.

Prints each run's wall and CPU seconds, then one line:
  build_overhead: ratio=B/R ratio_hotwords=B/RH build=.. raw=.. raw_hotwords=.. ...
(best of --repeat runs each; CPU seconds move less than wall seconds when other work shares the
machine). Goals: ratio <= 1.2 (issue 13); with --slides, build < 120 s on 2
cores (issue 14).

Run: python benchmarks/build_overhead.py [--minutes 10] [--repeat 1] [--slides] [--leave-out NAME,...] [--profile FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
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
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from builder.config import CourseSettings  # noqa: E402
from builder.ingest.talk import SAMPLE_RATE, WhisperSettings, cpu_threads, default_model_path, load_audio  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
REAL_SPEECH = SHARED / "speech" / "real"
PAPER = SHARED / "papers" / "attention.pdf"
SLIDE_S = 60.0          # a slide a minute, as lectures go
BUILDS_PER_SLIDE = 2    # bullets appearing one by one on it
VIDEO_FPS = 5


def make_long_audio(target: Path, minutes: float, leave_out: tuple[str, ...] = ()) -> float:
    """Loop the real English recordings (but those whose names start with one of `leave_out`) into
    one FLAC of `minutes`; returns its length in seconds."""
    clips = [load_audio(p) for p in sorted(REAL_SPEECH.iterdir())
             if p.suffix in (".mp3", ".flac") and not p.name.startswith(("zh_", *leave_out))]
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


def make_slide_video(target: Path, audio: Path, length_s: float, folder: Path) -> int:
    """A slide talk of the audio's length: distinct slides a minute apart, each shown first with one
    bullet, then two more appearing (builds). ffmpeg's concat of still pictures, as make_talk.py
    renders, so this costs seconds, not an hour of text to speech. Returns the slide count."""
    from slide_video import Shown, SlideDesign, draw_slide
    designs = [SlideDesign("#1f3b73", "white"), SlideDesign("#ffffff", "#202020"), SlideDesign("#7a2828", "#fff3d6")]
    entries, at, n = [], 0.0, 0
    while at < length_s:
        bullets = [f"Point {k + 1} of part {n + 1}: attention weights for layer {k + 2 * n}" for k in range(3)]
        for build in range(BUILDS_PER_SLIDE + 1):
            picture = folder / f"slide{n:03d}_{build}.png"
            shown = Shown(SLIDE_S, f"Part {n + 1}: multi-head attention step {n + 1}", tuple(bullets[:build + 1]),
                          designs[n % len(designs)], number=f"{n + 1}")
            draw_slide(shown).save(picture)
            entries.append((picture, min(SLIDE_S / (BUILDS_PER_SLIDE + 1), length_s - at)))
            at += entries[-1][1]
            if at >= length_s:
                break
        n += 1
    listing = folder / "slides.txt"
    with listing.open("w") as f:
        for picture, seconds in entries:
            f.write(f"file '{picture}'\nduration {seconds:.3f}\n")
        f.write(f"file '{entries[-1][0]}'\n")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(audio),
                    "-vf", f"fps={VIDEO_FPS},format=yuv420p", "-c:v", "libx264", "-preset", "veryfast",
                    "-c:a", "aac", "-shortest", str(target)], check=True)
    return n


def raw_faster_whisper(talk: Path, hotwords: str | None) -> float:
    """Seconds for faster-whisper alone, from loading the model to the last word."""
    settings = WhisperSettings()
    started = time.perf_counter()
    from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio
    model = WhisperModel(default_model_path(), device="cpu", compute_type="int8", cpu_threads=cpu_threads())
    audio = decode_audio(str(talk), sampling_rate=SAMPLE_RATE)
    options = {"hotwords": hotwords} if hotwords else {}
    pieces, _ = BatchedInferencePipeline(model).transcribe(
        audio, batch_size=settings.batch_size, language="en", beam_size=settings.beam_size, word_timestamps=True,
        vad_filter=settings.vad, condition_on_previous_text=False, **options)
    words = sum(len(p.words or []) for p in pieces)
    elapsed = time.perf_counter() - started
    print(f"  words: {words}")
    return elapsed


def cold_build(talk: Path, work: Path, prompt_file: Path, profile: Path | None) -> float:
    """Seconds for a cold build in a fresh course folder (empty cache and content). The hotwords
    the build gives whisper are written to `prompt_file` for the raw+hotwords run."""
    import builder.ingest.talk as talk_module
    from builder.pipeline import build_course
    recognise = talk_module.recognise

    def recognise_and_note(*args, **kwargs):
        result = recognise(*args, **kwargs)
        prompt_file.write_text(result.prompt, encoding="utf-8")
        return result
    talk_module.recognise = recognise_and_note
    if work.exists():
        shutil.rmtree(work)
    pair = work / "sources" / "long"
    pair.mkdir(parents=True)
    shutil.copy(PAPER, pair / "paper.pdf")
    shutil.copy(talk, pair / talk.name.replace("long", "talk"))
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    settings = CourseSettings.for_root(work)
    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    summary = build_course(settings)
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    assert not summary.failed, summary.failed
    print(f"  {summary.line()}")
    return elapsed


def _measure(kind: str, talk: Path, work: Path, prompt_file: Path, profile: Path | None) -> tuple[float, float]:
    """(wall s, CPU s) of one measurement in a fresh Python, so neither inherits the other's
    imports or loaded models. The CPU seconds are the child's user + system time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, __file__, "--measure", kind, "--talk", str(talk), "--work", str(work),
               "--prompt-file", str(prompt_file)] + (["--profile", str(profile)] if profile else [])
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    wall = float(out.strip().splitlines()[-1])
    notes = "; ".join(line.strip() for line in out.splitlines() if line.startswith("  "))
    print(f"  {kind:<13} {wall:7.1f} s wall {cpu:7.1f} s CPU   {notes}")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best is kept")
    parser.add_argument("--slides", action="store_true", help="a slide video instead of an audio file")
    parser.add_argument("--baselines", default="raw,raw+hotwords",
                        help="comma-separated raw faster-whisper runs to time: raw, raw+hotwords (default: both)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of an extra (uncounted) build here")
    parser.add_argument("--leave-out", default="",
                        help="comma-separated starts of recording names not to loop, e.g. apollo11_radio: the "
                             "radio log is 8-kHz noise with a few calls, no talk, and whisper loops in it")
    parser.add_argument("--measure", choices=["raw", "raw+hotwords", "build"], help=argparse.SUPPRESS)
    parser.add_argument("--talk", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prompt-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        if args.measure == "build":
            print(cold_build(args.talk, args.work, args.prompt_file, args.profile))
        else:
            hotwords = args.prompt_file.read_text(encoding="utf-8") if args.measure == "raw+hotwords" else None
            print(raw_faster_whisper(args.talk, hotwords))
        return
    baselines = [b for b in args.baselines.split(",") if b]
    with tempfile.TemporaryDirectory() as tmp:
        audio = Path(tmp) / "long.flac"
        left_out = tuple(name for name in args.leave_out.split(",") if name)
        length_s = make_long_audio(audio, args.minutes, left_out)
        talk, what = audio, "audio only"
        if args.slides:
            started = time.perf_counter()
            frames = Path(tmp) / "frames"
            frames.mkdir()
            talk = Path(tmp) / "long.mp4"
            count = make_slide_video(talk, audio, length_s, frames)
            what = f"{count} slides with {BUILDS_PER_SLIDE} builds each, {VIDEO_FPS} fps (made in " \
                   f"{time.perf_counter() - started:.0f} s)"
        print(f"talk: {length_s / 60:.1f} min of looped real speech"
              f"{' without ' + ', '.join(left_out) if left_out else ''}, {what}; paper: {PAPER.name}; "
              f"{cpu_threads()} CPU thread(s); load average {os.getloadavg()[0]:.1f}")
        prompt_file = Path(tmp) / "hotwords.txt"
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in ["build", *baselines]}
        if args.profile:  # an extra build, not counted: the profiler slows Python code down
            _measure("build", talk, Path(tmp) / "course", prompt_file, args.profile)
            print(f"  (profiled, not counted: {args.profile})")
        for run in range(args.repeat):
            # the build goes first once (it says which hotwords it used); then the order alternates
            # so neither always runs with a warm page cache or a busy neighbour
            order = ["build", *baselines] if run % 2 == 0 else [*baselines, "build"]
            for kind in order:
                times[kind].append(_measure(kind, talk, Path(tmp) / "course", prompt_file, None))
        best = {k: min(v) for k, v in times.items()}
        ratios = " ".join(f"ratio{'' if k == 'raw' else '_hotwords'}={best['build'][0] / best[k][0]:.2f}"
                          for k in baselines)
        seconds = " ".join(f"{k.replace('+', '_')}={v[0]:.1f}s" for k, v in best.items())
        cpu = " ".join(f"{k.replace('+', '_')}_cpu={v[1]:.1f}s" for k, v in best.items())
        print(f"build_overhead: {ratios} {seconds} {cpu} minutes={length_s / 60:.0f} "
              f"left_out={','.join(left_out) or '-'} "
              f"slides={'yes' if args.slides else 'no'} runs={args.repeat} load={os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
