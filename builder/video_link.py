"""pair.yml `video_url`: the talk on YouTube or Bilibili, checked strictly because it ends up in
an iframe on the site. Only https links to those two sites with a well-formed video id pass;
the page is then built from the id alone, never from the user's string."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
YOUTU_BE_HOSTS = {"youtu.be"}
BILIBILI_HOSTS = {"bilibili.com", "www.bilibili.com", "m.bilibili.com"}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_BILIBILI_ID = re.compile(r"BV[0-9A-Za-z]{10}")
ACCEPTED = "https://www.youtube.com/watch?v=ID, https://youtu.be/ID or https://www.bilibili.com/video/BV..."


@dataclass(frozen=True)
class VideoLink:
    site: str          # "YouTube" or "Bilibili"
    video_id: str
    part: int = 1      # Bilibili's ?p= (a multi-part upload)

    @property
    def watch_url(self) -> str:
        if self.site == "YouTube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://www.bilibili.com/video/{self.video_id}/" + (f"?p={self.part}" if self.part > 1 else "")

    def embed_url(self, start: int | str = 0, autoplay: bool = False) -> str:
        """The player's address starting at `start` seconds (a "{t}" placeholder for the page script)."""
        play = int(autoplay)
        if self.site == "YouTube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}?start={start}&autoplay={play}&rel=0"
        return (f"https://player.bilibili.com/player.html?bvid={self.video_id}&p={self.part}&t={start}"
                f"&autoplay={play}&danmaku=0")


def parse_video_url(url: str) -> VideoLink:
    """A VideoLink, or ValueError saying what is wrong with `url`."""
    if not isinstance(url, str) or re.search(r"[\s\x00-\x1f\x7f\"'<>\\`]", url):
        raise ValueError("contains spaces, quotes or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise ValueError(f"is not a valid URL ({err})") from err
    if parts.scheme != "https":
        raise ValueError("must start with https://")
    if parts.username is not None or parts.password is not None or port is not None:
        raise ValueError("must not hold a user name, password or port")
    host = (parts.hostname or "").lower()
    query = parse_qs(parts.query)
    if host in YOUTUBE_HOSTS and parts.path == "/watch":
        video_id = (query.get("v") or [""])[0]
        if _YOUTUBE_ID.fullmatch(video_id):
            return VideoLink("YouTube", video_id)
        raise ValueError("has no valid YouTube video id in v=")
    if host in YOUTU_BE_HOSTS:
        video_id = parts.path.strip("/")
        if _YOUTUBE_ID.fullmatch(video_id):
            return VideoLink("YouTube", video_id)
        raise ValueError("has no valid YouTube video id after youtu.be/")
    if host in BILIBILI_HOSTS:
        match = re.fullmatch(rf"/video/({_BILIBILI_ID.pattern})/?", parts.path)
        part = (query.get("p") or ["1"])[0]
        if match and part.isdigit() and 1 <= int(part) <= 9999:
            return VideoLink("Bilibili", match.group(1), int(part))
        raise ValueError("has no valid Bilibili video id (/video/BV followed by 10 letters or digits)")
    raise ValueError("is not a YouTube or Bilibili video page")
