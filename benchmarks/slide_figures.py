"""Slides that show a paper figure, on REAL figures: for each paper, every extracted figure is
pasted into a rendered slide (a title, a bullet, the figure scaled to fit, JPEG quality 70 at
480 px like the slide pictures the build keeps); plus one text-only slide per figure. Prints, per
paper: figure slides linked to the right figure, to a wrong one, to none; text slides linked to
any figure (false links); seconds per slide.
Run: PYTHONPATH=. python benchmarks/slide_figures.py [dpo attention ...]
"""
from __future__ import annotations

import base64
import io
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from builder.analyse.slide_figures import figures_on_slides  # noqa: E402
from builder.ingest.figures import figures_of  # noqa: E402
from builder.ingest.slides import Slide, SlideTrack  # noqa: E402
from slide_video import Shown, SlideDesign, draw_slide, jpeg_of  # noqa: E402

PAPERS = ROOT.parent / "shared" / "data" / "papers"
DESIGNS = [SlideDesign(), SlideDesign(background="white", ink="#202020")]


def main() -> None:
    names = sys.argv[1:] or ["dpo", "attention", "resnet", "qlora"]
    print(f"{'paper':10} {'figures':>7} {'right':>5} {'wrong':>5} {'none':>4} {'false links':>11} {'s/slide':>7}")
    for name in names:
        found = [(f, png) for f, png in figures_of(PAPERS / f"{name}.pdf") if f.label.startswith("Fig")]
        figures, pngs = [f for f, _ in found], [png for _, png in found]
        slides, truth = [], []
        for n, (figure, png) in enumerate(found):
            design = DESIGNS[n % len(DESIGNS)]
            picture = Image.open(io.BytesIO(png)).convert("RGB")
            for k, shown in enumerate((Shown(1, f"What {figure.label} shows", ("Look at the trend",), design,
                                             figure=picture),
                                       Shown(1, f"Discussion {n + 1}", ("No figure here", "Only text"), design))):
                image = Image.open(io.BytesIO(jpeg_of(draw_slide(shown).resize((480, 270)), quality=70)))
                slides.append(Slide(float(len(slides)), float(len(slides) + 1), shown.title, "",
                                    base64.b64encode(jpeg_of(image)).decode()))
                truth.append(figure.label if k == 0 else None)
        start = time.perf_counter()
        links = {f.start_s: f.label for f in figures_on_slides(SlideTrack(slides), figures, pngs)}
        took = time.perf_counter() - start
        right = sum(1 for i, t in enumerate(truth) if t and links.get(float(i)) == t)
        wrong = sum(1 for i, t in enumerate(truth) if t and links.get(float(i)) not in (None, t))
        none = sum(1 for i, t in enumerate(truth) if t and float(i) not in links)
        false = sum(1 for i, t in enumerate(truth) if t is None and float(i) in links)
        print(f"{name:10} {len(figures):7d} {right:5d} {wrong:5d} {none:4d} {false:11d} {took / max(1, len(slides)):7.2f}")


if __name__ == "__main__":
    main()
