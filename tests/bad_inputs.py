"""Makers of broken inputs for the bad-input tests (generated: real files cannot be this broken)."""
from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pymupdf


def text_pdf(path: Path, text: str = "A short paper about attention. " * 20, **save_options) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), text, fontsize=11)
    doc.save(path, **save_options)
    return path


def encrypted_pdf(path: Path) -> Path:
    return text_pdf(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")


def scanned_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 200), False)
    pix.clear_with(200)
    page.insert_image(page.rect, pixmap=pix)
    doc.save(path)
    return path


def zero_page_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                     b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                     b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return path


def silent_wav(path: Path, seconds: float = 3.0) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(np.zeros(int(16000 * seconds), dtype=np.int16).tobytes())
    return path


def video(path: Path, seconds: float = 2.0, halves: tuple[tuple[int, int, int], ...] = ((200, 40, 40),),
          audio: np.ndarray | None = None, fps: int = 5) -> Path:
    """An H.264 mp4 whose picture steps through `halves` colours; audio (16 kHz mono) optional."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        sound = None
        if audio is not None:
            sound = out.add_stream("aac", rate=16000)
            sound.layout = "mono"
        frames = int(seconds * fps)
        for i in range(frames):
            colour = halves[min(len(halves) - 1, i * len(halves) // frames)]
            picture = np.full((48, 64, 3), colour, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
        if sound is not None:
            samples = (audio * 32767).astype(np.int16).reshape(1, -1)
            block = 1024
            for start in range(0, samples.shape[1], block):
                frame = av.AudioFrame.from_ndarray(samples[:, start:start + block], format="s16", layout="mono")
                frame.sample_rate = 16000
                for packet in sound.encode(frame):
                    out.mux(packet)
            for packet in sound.encode():
                out.mux(packet)
    return path


def audio_file(path: Path, audio: np.ndarray, codec: str, rate: int = 16000) -> Path:
    """`audio` (16 kHz mono float) encoded with `codec` into the container the suffix names."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        samples = (audio * 32767).astype(np.int16).reshape(1, -1)
        frames = []
        for start in range(0, samples.shape[1], 960):
            frame = av.AudioFrame.from_ndarray(samples[:, start:start + 960], format="s16", layout="mono")
            frame.sample_rate = 16000
            frames += resampler.resample(frame)
        frames += resampler.resample(None)
        for frame in frames + [None]:
            for packet in stream.encode(frame):
                out.mux(packet)
    return path
