"""The talk side of a pair, measured on scripted talks with known truth.

Each talk folder holds a script.json (../shared/data/talks/<name>/ and benchmarks/talks/<name>/);
../shared/tools/make_talk.py renders it once into RENDER/<name>/ (talk.mp4 + truth.json; a script
with "audio_only": true also gets talk.m4a, the picture stripped). The talk is transcribed with the
build's own stages (builder.gather.gather_pair: slides and OCR, paper-aware transcription, chapters,
alignment, supplements; all cached), and compared with truth.json:

- boundary F1: chapter starts within 5 s of a true start (the talk's own start not counted);
- aligned: chapters whose section is the truth's (a chapter explaining nothing must be unaligned);
- supplements: precision over the talk sentences reported as what the talk adds, recall over the
  script's supplement sentences (a sentence counts when a reported one starts inside it);
- titles: true chapters (talks with slides) whose chapter title equals the slide title;
- terms: the script's paper terms found in the transcript, of those its sentences say (some scripts
  list terms they never say);
- said: talks with no picture to read, chapters titled from speech whose title's words were all
  said in the chapter (the script's sentences, plural s aside), which a run of mis-heard words is not.

A second row per talk, "true cuts", runs the same alignment and supplements on the true chapter
spans (with the slide title as the chapter's slide text where the talk has slides), so each part is
measured apart from chapter cutting.
With --variants, each slide talk also rendered with no slides (/ns) and audio only (/ao),
and each talk with no slides also audio only.
Run: python benchmarks/talk_pair.py [NAME ...] [--render DIR] [--variants] [--built-only]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
MAKE_TALK = ROOT.parent / "shared" / "tools" / "make_talk.py"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from builder.analyse.embed import Embedder  # noqa: E402
from builder.analyse.glossary import TermMatcher, load_glossary  # noqa: E402
from builder.analyse.talk_paper import talk_versus_paper  # noqa: E402
from builder.cache import Cache  # noqa: E402
from builder.config import CourseSettings  # noqa: E402
from builder.gather import Course, Reporter, gather_pair  # noqa: E402
from builder.models import Chapter, PairResult, Transcript  # noqa: E402
from builder.sources import discover_pairs  # noqa: E402

BOUNDARY_TOLERANCE_S = 5.0


def script_dirs() -> dict[str, Path]:
    """English scripts only: espeak-ng reads them so that whisper understands; a Chinese script is
    measured on its own sentences (benchmarks/cross_language.py)."""
    found = {}
    for base in (DATA / "talks", ROOT / "benchmarks" / "talks"):
        for folder in sorted(base.glob("*/script.json")):
            if json.loads(folder.read_text()).get("language", "en") == "en":
                found.setdefault(folder.parent.name, folder.parent)
    return found


VARIANTS = ("no slides", "audio only")


def render(name: str, script_dir: Path, render_root: Path, variant: str = "") -> Path:
    """The rendered talk, made once and shared: rendered into a temporary folder, then moved.

    Variants of a slide talk: "no slides" renders the same script with a camera-like picture
    (the same speech, so the same truth but no slide titles); "audio only" strips the picture of
    the talk as written (no rendering)."""
    script = json.loads((script_dir / "script.json").read_text())
    if variant == "no slides":
        if not script.get("slides", True) or script.get("audio_only"):
            raise ValueError(f"{name} has no slides to leave out")
        name, script = f"{name}+noslides", {**script, "slides": False}
    out = render_root / name
    if not (out / "truth.json").exists():
        render_root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=render_root))
        (tmp / "script.json").write_text(json.dumps(script, indent=1))
        subprocess.run([sys.executable, str(MAKE_TALK), str(tmp), str(tmp)], check=True)
        try:
            tmp.rename(out)
        except OSError:   # someone else rendered it meanwhile
            shutil.rmtree(tmp, ignore_errors=True)
    if not (script.get("audio_only") or variant == "audio only"):
        return out / "talk.mp4"
    if script.get("audio_only") and variant == "audio only":
        raise ValueError(f"{name} is audio only already")
    if not (out / "talk.m4a").exists():
        tmp_audio = out / ".talk-audio.m4a"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(out / "talk.mp4"), "-vn", "-c:a", "copy",
                        str(tmp_audio)], check=True)
        tmp_audio.rename(out / "talk.m4a")
    return out / "talk.m4a"


def variants_of(script_dir: Path) -> list[str]:
    """The talk as written, then each variant that makes sense for it."""
    script = json.loads((script_dir / "script.json").read_text())
    if script.get("audio_only"):
        return [""]
    return [""] + [v for v in VARIANTS if script.get("slides", True) or v != "no slides"]


def label_of(name: str, variant: str) -> str:
    return name + {"": "", "no slides": "/ns", "audio only": "/ao"}[variant]


def boundary_f1(found: list[float], true: list[float]) -> float:
    if not found and not true:
        return 1.0
    unmatched = list(true)
    hits = 0
    for start in found:
        near = [t for t in unmatched if abs(t - start) <= BOUNDARY_TOLERANCE_S]
        if near:
            unmatched.remove(min(near, key=lambda t: abs(t - start)))
            hits += 1
    if not hits:
        return 0.0
    precision, recall = hits / len(found), hits / len(true)
    return 2 * precision * recall / (precision + recall)


def same_section(found: str | None, true: str | None) -> bool:
    """Equal sections, by number when the truth has one ("4 Experiments" = "4. Experiments"), and a
    subsection of the true section counts ("4.1 ImageNet" explains "4 Experiments")."""
    if found is None or true is None:
        return found is None and true is None
    number = re.match(r"\s*([A-Z]?\d+(?:\.\d+)*)\.?\s", true + " ")
    if number:
        got = re.match(r"\s*([A-Z]?\d+(?:\.\d+)*)\.?\s", found + " ")
        return bool(got) and (got.group(1) == number.group(1) or got.group(1).startswith(number.group(1) + "."))
    return _norm(found) == _norm(true)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def score(truth: dict, transcript: Transcript, chapters: list[Chapter], alignments, supplements) -> dict:
    tch = truth["chapters"]
    section_of = {a.chapter_index: a.section for a in alignments}
    correct = 0
    for chapter in chapters:
        own = max(tch, key=lambda t: overlap(chapter.start_s, chapter.end_s, t["start"], t["end"] + 1.0))
        correct += same_section(section_of.get(chapter.index), own["section"])
    sentences = [s for t in tch for s in t["sentences"]]
    true_sup = [s for s in sentences if s["supplement"]]
    hit_sentences, good = set(), 0
    for sup in supplements:
        # whisper may start a sentence up to half a second early, inside the pause after the one before:
        # of the sentences it could start, the one whose start is nearest
        owners = [i for i, s in enumerate(sentences) if s["start"] - 0.5 <= sup.start_s < s["end"]]
        owner = min(owners, key=lambda i: abs(sentences[i]["start"] - sup.start_s), default=None)
        if owner is not None and sentences[owner]["supplement"]:
            good += 1
            hit_sentences.add(owner)
    titles = None
    if truth.get("slides", True) and not truth.get("audio_only"):   # a title to read from the picture
        titles = 0
        for t in tch:
            best = max(chapters, key=lambda c: overlap(c.start_s, c.end_s, t["start"], t["end"]))
            titles += _norm(best.title) == _norm(t["slide"])
        titles /= len(tch)
    said_titles = None
    if titles is None and chapters and chapters[0].title_source == "speech":
        said_in = 0
        for chapter in chapters:
            own = max(tch, key=lambda t: overlap(chapter.start_s, chapter.end_s, t["start"], t["end"]))
            said_in += _words(chapter.title) <= _words(" ".join(s["text"] for s in own["sentences"]))
        said_titles = said_in / len(chapters)
    heard = _norm(" ".join(s.text for s in transcript.segments))
    said = _norm(" ".join(s["text"] for s in sentences))
    terms = [term for term in truth.get("terms", []) if _norm(term) in said]   # a term never said cannot be heard
    return {
        "chapters": len(chapters), "true_chapters": len(tch),
        "f1": boundary_f1([c.start_s for c in chapters[1:]], [t["start"] for t in tch[1:]]),
        "aligned": correct / len(chapters) if chapters else 0.0,
        "sup_p": good / len(supplements) if supplements else (1.0 if not true_sup else 0.0),
        "sup_r": len(hit_sentences) / len(true_sup) if true_sup else 1.0,
        "sup_n": len(supplements), "sup_true": len(true_sup),
        "titles": titles,
        "terms": sum(_norm(term) in heard for term in terms) / len(terms) if terms else None,
        "said": said_titles,
    }


def _words(text: str) -> set[str]:
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in re.findall(r"[a-z0-9]+", text.lower())}


def true_chapters(truth: dict) -> list[Chapter]:
    """The script's chapters at their real times, with the slide title as slide text when shown."""
    out = []
    chapters = truth["chapters"]
    for i, t in enumerate(chapters):
        end = chapters[i + 1]["start"] if i + 1 < len(chapters) else truth["duration"]
        chapter = Chapter(index=i, start_s=0.0 if i == 0 else t["start"], end_s=end, title=t["slide"], points=[])
        if truth.get("slides", True) and not truth.get("audio_only"):
            chapter = replace(chapter, slide_text=t["slide"])
        out.append(chapter)
    return out


def built_pair(name: str, media: Path, pdf: Path, cache_dir: Path, embedder: Embedder) -> PairResult:
    """The pair as `coursewiki build` gathers it, from a course made for it alone."""
    root = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    folder = root / "sources" / name
    folder.mkdir(parents=True)
    shutil.copy(pdf, folder / "paper.pdf")
    shutil.copy(media, folder / f"talk{media.suffix}")
    settings = CourseSettings.for_root(root, cache_dir=cache_dir)
    glossary = load_glossary()
    course = Course(settings, embedder.cache, glossary, TermMatcher(glossary), embedder, Reporter())
    pairs, failed = discover_pairs(settings.sources_dir)
    if failed:
        raise SystemExit(f"{name}: {failed[0].message}")
    try:
        return gather_pair(pairs[0], course)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def fmt(value) -> str:
    return "   -" if value is None else f"{value:4.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--render", type=Path, default=Path("/work/talks-render"))
    parser.add_argument("--variants", action="store_true",
                        help="also each slide talk with no slides (/ns) and audio only (/ao)")
    parser.add_argument("--built-only", action="store_true", help="leave out the true-cuts rows")
    args = parser.parse_args()
    cache_dir = Path(tempfile.gettempdir()) / "coursewiki-bench-cache"
    embedder = Embedder(Cache(cache_dir))
    talks = script_dirs()
    names = args.names or list(talks)
    print(f"{'talk':<15}{'cuts':<10}{'chapters':>9}{'F1':>6}{'aligned':>8}{'sup P':>7}{'sup R':>7}"
          f"{'(found/true)':>13}{'titles':>7}{'terms':>7}{'said':>6}")
    totals: dict[str, list[float]] = {}
    for name in names:
        for variant in (variants_of(talks[name]) if args.variants else [""]):
            media = render(name, talks[name], args.render, variant)
            truth = json.loads((media.parent / "truth.json").read_text())
            truth["audio_only"] = media.suffix != ".mp4"
            label = label_of(name, variant)
            result = built_pair(label.replace("/", "-"), media, DATA / "papers" / truth["paper"], cache_dir, embedder)
            paper, transcript, analysis = result.paper, result.transcript, result.analysis
            rows = [("built", analysis.chapters, analysis.alignments, analysis.supplements)]
            if not args.built_only:
                chapters = true_chapters(truth)
                passage_vectors = embedder.encode([p.text for p in paper.passages], f"bench-{name}/paper")
                segment_vectors = embedder.encode([s.text for s in transcript.segments], f"bench-{label}/talk")
                rows.append(("true cuts", chapters, *talk_versus_paper(
                    paper, transcript, chapters, segment_vectors, passage_vectors, embedder, f"bench-{label}")))
            for row, chs, alignments, supplements in rows:
                m = score(truth, transcript, chs, alignments, supplements)
                if row == "true cuts":
                    m["titles"] = m["f1"] = m["said"] = None     # the true chapters carry the slide titles: nothing measured
                else:
                    for metric in ("f1", "aligned", "sup_p", "sup_r", "titles", "terms", "said"):
                        if m[metric] is not None:
                            totals.setdefault(metric, []).append(m[metric])
                print(f"{label:<15}{row:<10}{m['chapters']:>5}/{m['true_chapters']:<3}{fmt(m['f1']):>6}"
                      f"{m['aligned']:>8.0%}{fmt(m['sup_p']):>7}{fmt(m['sup_r']):>7}"
                      f"{m['sup_n']:>7}/{m['sup_true']:<5}{fmt(m['titles']):>7}{fmt(m['terms']):>7}"
                      f"{fmt(m['said']):>6}", flush=True)
    if totals:
        print("built, worst / mean over talks: " + ", ".join(
            f"{metric} {min(values):.2f} / {sum(values) / len(values):.2f}" for metric, values in totals.items()))


if __name__ == "__main__":
    main()
