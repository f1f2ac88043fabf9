"""Paper-aware transcription: term recall and WER with and without the paper's vocabulary.

For each pipeline (batched, sequential) and each way of giving whisper the vocabulary (none,
hotwords, initial prompt, both), on:
- the scripted talk(s) rendered by ../shared/tools/make_talk.py (script.json "terms" are the
  paper terms to hear, truth.json the words said; the vocabulary is talk_vocabulary of the paper);
- the real clips in ../shared/data/speech scored against references.json, primed with the
  vocabulary of an unrelated paper (tdnn.pdf: a prompt must not hurt speech it does not fit);
- hotwords.mp3, whose phrase holds the product name "ComfyUI", primed with that one word.
Prints WER, terms heard, and lines dropped as whisper loops / prompt echoes.

Run: python benchmarks/paper_aware_asr.py [--talks dpo] [--threads 2]
Talks are rendered once into /work/talks-render/<name>/ (or --render-dir) and reused.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.analyse.glossary import TermMatcher, load_glossary  # noqa: E402
from builder.analyse.vocabulary import talk_vocabulary  # noqa: E402
from builder.ingest.paper import ingest_paper  # noqa: E402
from builder.ingest.repeats import clean, repeated_lines  # noqa: E402
from builder.ingest.sentences import sentences  # noqa: E402
from builder.ingest.talk import SAMPLE_RATE, WhisperSettings, load_audio, recognise, timed_words  # noqa: E402
from builder.ingest.wer import WordErrors, normalise, word_errors  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data"
SPEECH = DATA / "speech"

# (pipeline, batch size, how the vocabulary is given, token budget)
CONFIGS = [("batched", 8, "none", 0), ("batched", 8, "hotwords", 60), ("batched", 8, "hotwords", 120),
           ("batched", 8, "hotwords", 223), ("batched", 8, "prompt", 120), ("batched", 8, "both", 223),
           ("sequential", 0, "none", 0), ("sequential", 0, "hotwords", 120), ("sequential", 0, "prompt", 120)]


def render(name: str, render_dir: Path) -> Path:
    """The talk rendered once and shared: into a temp folder first, then moved into place."""
    target = render_dir / name
    if (target / "truth.json").is_file() and (target / "talk.mp4").is_file():
        return target
    if not (DATA / "talks" / name / "script.json").is_file():
        sys.exit(f"{name}: no rendered talk in {render_dir} and no script in {DATA / 'talks'}")
    render_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=render_dir))
    subprocess.run([sys.executable, str(SHARED / "tools" / "make_talk.py"), str(DATA / "talks" / name), str(tmp)],
                   check=True, capture_output=True)
    if not target.exists():
        tmp.rename(target)
    else:
        shutil.rmtree(tmp)
    return target


def heard(term: str, text: str) -> bool:
    """The term's words in order in the transcript, or its letters run together ("TL;DR" as "TLDR")."""
    want, words = normalise(term), normalise(text)
    if not want:
        return False
    n = len(want)
    if any(words[i:i + n] == want for i in range(len(words) - n + 1)):
        return True
    joined = "".join(want)
    return any("".join(words[i:i + k]) == joined for k in (1, 2, 3) for i in range(len(words) - k + 1))


def transcript_text(result, duration_s: float) -> tuple[str, int, int]:
    """(clean text, repeated lines before cleaning, lines dropped by cleaning)."""
    words = timed_words(result.pieces, duration_s)
    cleaned = clean(words, result.prompt)
    return " ".join(s.text for s in cleaned.segments), repeated_lines(sentences(words)), cleaned.dropped_lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talks", nargs="*", default=["dpo"], help="scripted talks in ../shared/data/talks")
    parser.add_argument("--render-dir", type=Path, default=Path("/work/talks-render"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--configs", nargs="*", type=int, help="only these rows of CONFIGS (0-based)")
    args = parser.parse_args()
    matcher = TermMatcher(load_glossary())
    cases = []   # (label, audio, reference, terms, vocabulary, reference covers only a prefix)
    for name in args.talks:
        folder = render(name, args.render_dir)
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        paper = ingest_paper(DATA / "papers" / truth["paper"])
        vocabulary = talk_vocabulary(paper, matcher).terms
        reference = " ".join(s["text"] for c in truth["chapters"] for s in c["sentences"])
        cases.append((f"talk {name}", load_audio(folder / "talk.mp4"), reference, truth["terms"], vocabulary, False))
        print(f"talk {name}: {len(vocabulary)} vocabulary terms, first 12: {', '.join(vocabulary[:12])}")
    refs = json.loads((SPEECH / "references.json").read_text(encoding="utf-8"))
    unrelated = talk_vocabulary(ingest_paper(DATA / "papers" / "tdnn.pdf"), matcher).terms
    cases.append(("jfk (tdnn vocab)", load_audio(SPEECH / "jfk.flac"), refs["jfk.flac"]["text"], [], unrelated, False))
    cases.append(("licence en (tdnn vocab)", load_audio(SPEECH / "multilingual.mp3"),
                  refs["multilingual.mp3"]["text_en"], [], unrelated, True))
    cases.append(("hotwords.mp3 (ComfyUI)", load_audio(SPEECH / "hotwords.mp3"), "", ["ComfyUI"], ("ComfyUI",), False))
    recognise(cases[-1][1], WhisperSettings(), threads=args.threads)   # load the model outside the timings
    print(f"{'pipeline':<11}{'vocabulary':<14}{'case':<26}{'WER':>7}{'terms':>8}{'repeats':>8}{'dropped':>8}{'RTF':>7}")
    for pipeline, batch, mode, budget in [c for i, c in enumerate(CONFIGS) if not args.configs or i in args.configs]:
        given = f"{mode} {budget}" if budget else mode
        heard_all, terms_all, errors_all = 0, 0, WordErrors(0, 0, 0, 0)
        for label, audio, reference, terms, vocabulary, prefix in cases:
            settings = WhisperSettings(batch_size=batch, vocabulary=tuple(vocabulary), vocabulary_as=mode,
                                       vocabulary_tokens=budget or 223)
            start = time.perf_counter()
            result = recognise(audio, settings, threads=args.threads)
            wall = time.perf_counter() - start
            duration_s = len(audio) / SAMPLE_RATE
            text, repeats, dropped = transcript_text(result, duration_s)
            errors = word_errors(reference, text, prefix) if reference else WordErrors(0, 0, 0, 0)
            found = [t for t in terms if heard(t, text)]
            missed = [t for t in terms if t not in found]
            wer = f"{errors.rate:.1%}" if reference else "-"
            recall = f"{len(found)}/{len(terms)}" if terms else "-"
            print(f"{pipeline:<11}{given:<14}{label:<26}{wer:>7}{recall:>8}{repeats:>8}{dropped:>8}"
                  f"{duration_s / wall:>6.0f}x" + (f"  missed: {', '.join(missed)}" if missed else ""), flush=True)
            if label.startswith("talk "):
                heard_all, terms_all, errors_all = heard_all + len(found), terms_all + len(terms), errors_all + errors
        print(f"{pipeline:<11}{given:<14}{'scripted talks, all':<26}{errors_all.rate:>7.1%}"
              f"{f'{heard_all}/{terms_all}':>8}", flush=True)


if __name__ == "__main__":
    main()
