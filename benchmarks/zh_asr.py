"""Chinese and multilingual transcription: CER on Mandarin, English WER, language detection, speed.

1. Mandarin: ../shared/data/speech/real/zh_classroom_answer.flac (70 s, two speakers) transcribed
   as the build does (`language: zh`, the packaged multilingual base, the Simplified prompt), and
   without the prompt, and with the English-only tiny.en (which must write nothing). CER against
   zh_classroom_answer.approx_transcript.txt, which is another recogniser's output with errors of
   its own: the figure is approximate (it counts that recogniser's errors against us too).
2. English: WER on jfk.flac and the English half of multilingual.mp3 (references.json) with
   tiny.en (the English default) and the multilingual base.
3. Language detection by the multilingual base (what picks the model when pair.yml is silent) on
   every clip in ../shared/data/speech.
4. The paper's vocabulary on a Chinese talk (--papers): the Mandarin clip transcribed with each
   named paper's vocabulary (`talk_vocabulary`) as whisper hotwords, whole (the title, long forms
   and section titles too) and as the build gives it for a talk not in English (the names said as
   printed: `talk.said_as_printed`), against no vocabulary. The clip is not about any paper: what
   is measured is whether the vocabulary costs Chinese speech, not whether it spells the names.
Speed is CPU seconds (user + system of this process, resource.getrusage) per audio second: wall
time means little on a shared machine.

Run: python benchmarks/zh_asr.py [--threads 2] [--papers dpo attention ...] [--only-vocabulary]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from builder.ingest import chinese  # noqa: E402
from builder.ingest.talk import (DETECTION_WINDOWS, SAMPLE_RATE, WhisperSettings, _whisper, clean_segments,  # noqa: E402
                                 load_audio, recognise)
from builder.ingest.wer import character_errors, word_errors  # noqa: E402
from builder.ingest.whisper_models import ENGLISH, MULTILINGUAL, multilingual_path  # noqa: E402

SPEECH = REPO.parent / "shared" / "data" / "speech"
CLIP = SPEECH / "real" / "zh_classroom_answer.flac"


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def approx_reference() -> str:
    lines = CLIP.with_name("zh_classroom_answer.approx_transcript.txt").read_text(encoding="utf-8").splitlines()
    return "".join(re.sub(r"^Speaker_\d+: \[[\d. ]+\]", "", line) for line in lines if not line.startswith("#"))


def run(audio, settings: WhisperSettings, threads: int, prompt: bool = True) -> tuple[str, float, str]:
    """(text, CPU s per audio s, withheld) of one transcription as the build makes it."""
    saved = chinese.PROMPT
    if not prompt:
        chinese.PROMPT = ""
    try:
        start = cpu_s()
        result = recognise(audio, settings, threads=threads)
        segments = clean_segments(result, len(audio) / SAMPLE_RATE) if not result.withheld else []
        spent = cpu_s() - start
    finally:
        chinese.PROMPT = saved
    joiner = "" if chinese.is_chinese(result.language) else " "
    return joiner.join(s.text for s in segments), spent / (len(audio) / SAMPLE_RATE), result.withheld


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--papers", nargs="*", default=["attention", "bert", "dpo", "instructgpt", "qlora", "rope",
                                                        "tdnn", "vllm"], help="papers for part 4 (none: skip it)")
    parser.add_argument("--only-vocabulary", action="store_true", help="part 4 alone")
    args = parser.parse_args()
    threads = args.threads
    if args.only_vocabulary:
        vocabulary_on_chinese(args.papers, threads)
        return
    # load both models outside the timings
    recognise(load_audio(SPEECH / "jfk.flac"), WhisperSettings(), threads=threads)
    recognise(load_audio(SPEECH / "jfk.flac"), WhisperSettings(model=MULTILINGUAL), threads=threads)

    print("## Mandarin (zh_classroom_answer.flac, 70.5 s; reference approximate)")
    print("| model | prompt | CER | Simplified | Chinese punctuation marks | CPU s / audio s | published |")
    print("|---|---|---|---|---|---|---|")
    import zhconv
    audio = load_audio(CLIP)
    reference = approx_reference()
    for label, settings, prompt in [("base (packaged)", WhisperSettings(language="zh"), True),
                                    ("base (packaged)", WhisperSettings(language="zh"), False),
                                    ("base, language detected", WhisperSettings(), True),
                                    ("tiny.en (chosen)", WhisperSettings(model=ENGLISH, language="zh"), True)]:
        text, speed, withheld = run(audio, settings, threads, prompt)
        cer = f"{character_errors(reference, text).rate:.3f}" if text else "-"
        simplified = "yes" if text and zhconv.convert(text, "zh-hans") == text else "-"
        marks = sum(text.count(m) for m in "，。？！")
        print(f"| {label} | {'yes' if prompt else 'no'} | {cer} | {simplified} | {marks} | {speed:.3f} | "
              f"{'nothing (' + withheld[:40] + '...)' if withheld else f'{len(text)} characters'} |")
    print(f"\nbase with the prompt: {run(audio, WhisperSettings(language='zh'), threads)[0]}\n")

    print("## English WER")
    print("| clip | model | WER | CPU s / audio s |")
    print("|---|---|---|---|")
    references = json.loads((SPEECH / "references.json").read_text(encoding="utf-8"))
    for name, key, prefix in [("jfk.flac", "text", False), ("multilingual.mp3", "text_en", True)]:
        clip = load_audio(SPEECH / name)
        for label, settings in [("tiny.en", WhisperSettings()), ("base", WhisperSettings(model=MULTILINGUAL))]:
            text, speed, _ = run(clip, settings, threads)
            errors = word_errors(references[name][key], text, hypothesis_prefix=prefix)
            print(f"| {name}{' (English half)' if prefix else ''} | {label} | {errors.rate:.3f} "
                  f"({errors.errors}/{errors.reference_words}) | {speed:.3f} |")

    print("\n## Language detection by the packaged base (vad, up to "
          f"{DETECTION_WINDOWS} windows of 30 s)")
    print("| clip | heard | probability | CPU s |")
    print("|---|---|---|---|")
    listener = _whisper(multilingual_path(), "cpu", "int8", threads)
    for path in sorted(SPEECH.rglob("*")):
        if path.suffix not in (".mp3", ".flac", ".wav"):
            continue
        clip = load_audio(path)
        start = cpu_s()
        language, probability, _ = listener.detect_language(clip, vad_filter=True,
                                                            language_detection_segments=DETECTION_WINDOWS)
        print(f"| {path.relative_to(SPEECH)} | {language} | {probability:.3f} | {cpu_s() - start:.2f} |")
    if args.papers:
        vocabulary_on_chinese(args.papers, threads)


def vocabulary_on_chinese(papers: list[str], threads: int) -> None:
    import builder.ingest.talk as talk
    from builder.analyse.glossary import TermMatcher, load_glossary
    from builder.analyse.vocabulary import talk_vocabulary
    from builder.ingest.paper import ingest_paper
    print("\n## The paper's vocabulary as hotwords on the Mandarin clip (CER; chars written / in the reference)")
    print("| paper | no vocabulary | whole vocabulary | names said as printed (the build) |")
    print("|---|---|---|---|")
    audio, reference, matcher = load_audio(CLIP), approx_reference(), TermMatcher(load_glossary())
    cell = lambda text: f"{character_errors(reference, text).rate:.3f} ({len(text)}/{len(reference)})"
    plain = cell(run(audio, WhisperSettings(language="zh"), threads)[0])
    chosen = talk.said_as_printed
    for name in papers:
        terms = tuple(talk_vocabulary(ingest_paper(REPO.parent / "shared" / "data" / "papers" / f"{name}.pdf"),
                                      matcher).terms)
        try:
            talk.said_as_printed = lambda given: given
            whole = run(audio, WhisperSettings(language="zh", vocabulary=terms), threads)[0]
        finally:
            talk.said_as_printed = chosen
        names = run(audio, WhisperSettings(language="zh", vocabulary=terms), threads)[0]
        print(f"| {name} | {plain} | {cell(whole)} | {cell(names)} |", flush=True)


if __name__ == "__main__":
    main()
