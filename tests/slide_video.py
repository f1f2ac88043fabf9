"""Generated lecture videos for the slide tests and benchmarks: slides drawn with Pillow, encoded
with PyAV, with the truth (when each slide really starts, its title and text) kept beside them.

A lecture is a list of `Shown` pictures: a slide (title, bullets, colours) or a camera-like
picture, each held for some seconds. A build is the same slide shown again with one more bullet;
a flash is a slide held a second. Nothing here reads the code under test."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1280, 720
FONTS = {
    "latin_bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "latin": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "cjk_bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "cjk": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
}


@dataclass(frozen=True)
class SlideDesign:
    background: str = "#1f3b73"
    ink: str = "white"
    title_size: int = 46
    body_size: int = 28
    cjk: bool = False


@dataclass(frozen=True)
class Shown:
    """One picture held for `seconds`: a slide (title set) or, with camera=True, a lectern scene."""
    seconds: float
    title: str = ""
    bullets: tuple[str, ...] = ()
    design: SlideDesign = SlideDesign()
    camera: bool = False
    figure: Image.Image | None = field(default=None, compare=False)
    number: str = ""


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """Noto CJK where Debian's fonts-noto-cjk is installed; otherwise the CJK font PyMuPDF carries
    (Droid Sans Fallback), so a clean machine with only the pip packages draws Chinese slides too."""
    path = Path(FONTS[name])
    if not path.exists() and name.startswith("cjk"):
        import pymupdf
        return ImageFont.truetype(io.BytesIO(pymupdf.Font("china-s").buffer), size)
    return ImageFont.truetype(str(path), size)


def draw_slide(shown: Shown) -> Image.Image:
    if shown.camera:
        return draw_camera(0.0)
    design = shown.design
    img = Image.new("RGB", (WIDTH, HEIGHT), design.background)
    d = ImageDraw.Draw(img)
    size = design.title_size
    title_font = _font("cjk_bold" if design.cjk else "latin_bold", size)
    while title_font.getlength(shown.title) > WIDTH - 160 and size > 20:  # as a slide editor shrinks to fit
        size -= 2
        title_font = _font("cjk_bold" if design.cjk else "latin_bold", size)
    body_font = _font("cjk" if design.cjk else "latin", design.body_size)
    d.text((80, 100), shown.title, fill=design.ink, font=title_font)
    d.line((80, 100 + design.title_size + 30, 1200, 100 + design.title_size + 30), fill=design.ink, width=4)
    y = 100 + design.title_size + 70
    for bullet in shown.bullets:
        d.text((110, y), ("• " if not design.cjk else "· ") + bullet, fill=design.ink, font=body_font)
        y += int(design.body_size * 1.9)
    if shown.figure is not None:
        figure = shown.figure.copy()
        figure.thumbnail((620, HEIGHT - y - 40))
        img.paste(figure, ((WIDTH - figure.width) // 2, y + 10))
    if shown.number:
        d.text((80, 650), shown.number, fill=design.ink, font=_font("latin", 20))
    return img


def draw_camera(t: float) -> Image.Image:
    """A lecturer at a lectern, swaying a little: the picture moves but never changes much."""
    img = Image.new("RGB", (WIDTH, HEIGHT), "#3a3f44")
    d = ImageDraw.Draw(img)
    dx = int(20 * np.sin(t / 3.0))
    d.rectangle((0, 520, WIDTH, HEIGHT), fill="#5b4a3a")
    d.ellipse((590 + dx, 180, 690 + dx, 280), fill="#d9b99b")
    d.rectangle((560 + dx, 280, 720 + dx, 520), fill="#22313f")
    d.rectangle((500, 420, 780, HEIGHT), fill="#7a5c3e")
    return img


def write_video(path: Path, shown: list[Shown], fps: int = 5, size: tuple[int, int] = (WIDTH, HEIGHT),
                audio: np.ndarray | None = None, keyframe_every_s: float | None = None) -> list[float]:
    """Encode the pictures in order (H.264; with `audio`, 16 kHz mono, as its sound) and return
    when each one starts. Camera pictures are redrawn every frame so they move. With
    `keyframe_every_s`, keyframes come at that fixed step and never at a scene cut (as some
    encoders do), so slide changes fall between keyframes."""
    starts, t = [], 0.0
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        sound = out.add_stream("aac", rate=16000) if audio is not None else None
        if sound is not None:
            sound.layout = "mono"
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.options = {"preset": "veryfast"}
        if keyframe_every_s is not None:
            step = round(keyframe_every_s * fps)
            stream.options["x264-params"] = f"keyint={step}:min-keyint={step}:scenecut=0"
        frame_no = 0
        for item in shown:
            starts.append(round(t, 3))
            still = None if item.camera else draw_slide(item).resize(size)
            for _ in range(int(round(item.seconds * fps))):
                picture = still if still is not None else draw_camera(frame_no / fps).resize(size)
                frame = av.VideoFrame.from_ndarray(np.asarray(picture), format="rgb24")
                for packet in stream.encode(frame):
                    out.mux(packet)
                frame_no += 1
            t += item.seconds
        for packet in stream.encode():
            out.mux(packet)
        if sound is not None:
            samples = (audio * 32767).astype(np.int16).reshape(1, -1)
            for start in range(0, samples.shape[1], 1024):
                block = av.AudioFrame.from_ndarray(samples[:, start:start + 1024], format="s16", layout="mono")
                block.sample_rate = 16000
                for packet in sound.encode(block):
                    out.mux(packet)
            for packet in sound.encode():
                out.mux(packet)
    return starts


def jpeg_of(image: Image.Image, quality: int = 80) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
