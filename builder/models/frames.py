"""What the keyframes stage takes from the video: one picture per chapter and the slide changes."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SlideImage:
    start_s: float
    jpeg_base64: str


@dataclass(frozen=True)
class Keyframes:
    jpeg_base64: list[str | None]                                  # one per chapter
    slides: list[SlideImage] = field(default_factory=list)         # where the picture changes a lot
    has_picture: bool = True                                       # False: an audio-only talk file
