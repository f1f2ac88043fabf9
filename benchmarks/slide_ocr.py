"""Which OCR reads slide titles best: Tesseract (apt) against RapidOCR (PP-OCR models shipped in
the PyPI wheels), on slides rendered here in English and Chinese, in three designs, passed through
JPEG at quality 70 and scaled to 1280x720 and 854x480 as a video frame would be.

Prints, per engine and language: titles read exactly (whitespace and case aside), character error
rate of title and body, seconds per slide. The title is picked from the OCR lines by the product's
own rule (builder.ingest.slide_text.title_and_body), so this measures what the build would show.
Run: PYTHONPATH=. python benchmarks/slide_ocr.py [--engines tesseract,rapidocr_onnxruntime,rapidocr]
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from builder.ingest.slide_text import OcrLine, same_text, title_and_body  # noqa: E402
from slide_video import Shown, SlideDesign, draw_slide  # noqa: E402

ENGLISH = [
    ("Preferences without reinforcement learning", ("Align a language model to what people prefer", "No reward model, no sampling")),
    ("How RLHF works", ("Supervised fine-tuning first", "Fit a reward model on comparisons", "Optimise it with PPO")),
    ("The key trick: a change of variables", ("Write the reward in terms of the policy", "The partition function cancels")),
    ("Scaled dot-product attention", ("Queries, keys and values", "Divide by the square root of d_k")),
    ("Results on WMT 2014", ("28.4 BLEU on English-German", "Trained in 3.5 days on 8 GPUs")),
    ("Low-rank adapters in 4-bit", ("NF4 data type", "Double quantization", "Paged optimizers")),
    ("Why residual connections help", ("Identity shortcuts", "Deeper networks train better")),
    ("Take-aways", ("Simple loss, same quality", "Try it on your own data")),
    ("PagedAttention and the KV cache", ("Blocks like virtual memory pages", "Less fragmentation")),
    ("Rotary position embedding (RoPE)", ("Rotate queries and keys", "Relative positions for free")),
]
CHINESE = [
    ("直接偏好优化", ("不需要强化学习", "也不需要奖励模型")),
    ("基于人类反馈的强化学习", ("先做监督微调", "再训练奖励模型")),
    ("关键技巧：变量替换", ("用策略表示奖励", "配分函数相互抵消")),
    ("实验结果", ("情感生成任务", "摘要与单轮对话")),
    ("注意力机制", ("查询、键和值", "多头注意力")),
    ("低秩适配与四位量化", ("节省显存", "效果几乎不变")),
    ("残差连接为什么有效", ("恒等映射", "更深的网络更容易训练")),
    ("总结", ("损失函数简单", "效果相同")),
]
DESIGNS = [SlideDesign(), SlideDesign(background="white", ink="#202020", title_size=52, body_size=30),
           SlideDesign(background="#7a2828", ink="#fff4d6", title_size=40, body_size=24)]
SIZES = [(1280, 720), (854, 480)]


def slides(language: str):
    cjk = language == "zh"
    for n, (title, bullets) in enumerate(ENGLISH if language == "en" else CHINESE):
        for d, design in enumerate(DESIGNS):
            design = SlideDesign(design.background, design.ink, design.title_size, design.body_size, cjk)
            for size in SIZES:
                image = draw_slide(Shown(10, title, bullets, design, number=f"{n + 1}/10"))
                buffer = io.BytesIO()
                image.resize(size).save(buffer, format="JPEG", quality=70)
                yield title, "\n".join(bullets), Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def tesseract_engine(language: str):
    import pytesseract

    lang = "chi_sim+eng" if language == "zh" else "eng"

    def read(image: Image.Image) -> list[OcrLine]:
        data = pytesseract.image_to_data(image, lang=lang, output_type=pytesseract.Output.DICT)
        lines: dict[tuple, list[int]] = {}
        for i, word in enumerate(data["text"]):
            if word.strip() and float(data["conf"][i]) >= 0:
                lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
        out = []
        for members in lines.values():
            x0 = min(data["left"][i] for i in members)
            y0 = min(data["top"][i] for i in members)
            x1 = max(data["left"][i] + data["width"][i] for i in members)
            y1 = max(data["top"][i] + data["height"][i] for i in members)
            joiner = "" if language == "zh" else " "
            out.append(OcrLine(joiner.join(data["text"][i] for i in members), (x0, y0, x1, y1), 1.0))
        return out
    return read


def rapidocr_onnxruntime_engine(language: str):
    from rapidocr_onnxruntime import RapidOCR
    engine = RapidOCR()

    def read(image: Image.Image) -> list[OcrLine]:
        result, _ = engine(np.asarray(image)[:, :, ::-1])
        return [OcrLine(text, _box(points), float(score)) for points, text, score in (result or [])]
    return read


def rapidocr_engine(language: str):
    """RapidOCR 3 as the build runs it (builder.ingest.slide_text.RapidOcr)."""
    from builder.ingest.slide_text import RapidOcr
    return RapidOcr()


def _box(points) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def cer(truth: str, read: str) -> float:
    a, b = "".join(truth.split()).lower(), "".join(read.split()).lower()
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1] / max(1, len(a))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="tesseract,rapidocr_onnxruntime,rapidocr")
    args = parser.parse_args()
    print(f"{'engine':22} {'lang':4} {'slides':>6} {'titles exact':>12} {'title CER':>9} {'body CER':>8} {'s/slide':>7}")
    for name in args.engines.split(","):
        for language in ("en", "zh"):
            read = globals()[f"{name}_engine"](language)
            read(Image.new("RGB", (64, 64), "white"))  # load the models outside the timing
            exact, title_err, body_err, seconds, count = 0, 0.0, 0.0, 0.0, 0
            misses = []
            for title, body, image in slides(language):
                start = time.perf_counter()
                lines = read(image)
                seconds += time.perf_counter() - start
                got_title, got_body = title_and_body(lines, image.height)
                count += 1
                if same_text(got_title, title):
                    exact += 1
                elif len(misses) < 3:
                    misses.append(f"{title!r} -> {got_title!r}")
                title_err += cer(title, got_title)
                body_err += cer(body, got_body)
            print(f"{name:22} {language:4} {count:6d} {exact / count:12.0%} {title_err / count:9.3f} "
                  f"{body_err / count:8.3f} {seconds / count:7.2f}")
            for miss in misses:
                print(f"    miss: {miss}")


if __name__ == "__main__":
    main()
