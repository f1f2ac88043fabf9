"""Course and pair settings, validated at the edge with messages that name the file and key."""
from __future__ import annotations

import datetime
import difflib
import types
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

from .errors import ConfigError, PairError
from .ingest.online import OnlineSettings
from .models.sources import PairConfig

DEFAULT_CACHE = ".coursewiki-cache"
DEFAULT_LLM_TIMEOUT_S = 120.0   # per request, all told (retry included): a hung endpoint costs this once
PLUGIN_NAME = "coursewiki"      # the MkDocs plugin whose options in mkdocs.yml are the course settings


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
    timeout_s: float = DEFAULT_LLM_TIMEOUT_S


@dataclass(frozen=True)
class Setting:
    """One course setting: an option of the coursewiki plugin in mkdocs.yml and a `coursewiki build`
    flag of the same name. Declared once, so the plugin, the flag and the check cannot disagree."""
    default: object
    help: str
    kind: object = str                    # str, int, float, bool, or "url" (an http(s) base URL, checked)
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    minimum_open: bool = False            # the minimum itself is not allowed (a timeout of 0)
    flags: tuple[str, ...] = ()           # the CLI's spelling, when not --name-with-dashes

    def check(self, value):
        """The value as the build uses it; ValueError says what is wrong in words like MkDocs' own
        option errors, for the caller to prefix with where the value came from (a flag, mkdocs.yml)."""
        if value is None:
            return None
        shown = _shown(value)
        if self.choices:
            if value not in self.choices:
                raise ValueError(f"expected one of: {', '.join(self.choices)}, but received: {shown}")
            return value
        if self.kind is bool:
            if not isinstance(value, bool):
                raise ValueError(f"expected true or false, but received: {shown}")
            return value
        if self.kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or not self.minimum <= value <= self.maximum:
                raise ValueError(f"expected a whole number from {self.minimum:g} to {self.maximum:g}, "
                                 f"but received: {shown}")
            return value
        if self.kind is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"expected a number, but received: {shown}")
            low_ok = self.minimum is None or (value > self.minimum if self.minimum_open else value >= self.minimum)
            if not low_ok or (self.maximum is not None and value > self.maximum):
                low = f"above {self.minimum:g}" if self.minimum_open else f"from {self.minimum:g}"
                raise ValueError(f"expected a number {low} to {self.maximum:g}, but received: {shown}")
            return float(value)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
            raise ValueError(f"expected text, but received: {shown}")
        if self.kind == "url":
            from .write.llm_client import shown_value, url_problem
            problem = url_problem(str(value))
            if problem:
                raise ValueError(f"{shown_value(str(value))} {problem}")
        return str(value)

    def default_text(self) -> str:
        return "" if self.default is None else f"{self.default:g}" if isinstance(self.default, float) else str(self.default)


def setting(default, help: str, **spec):
    """A CourseSettings field that is a course setting (see Setting)."""
    return field(default=default, metadata={"setting": Setting(default, help, **spec)})


@dataclass(frozen=True)
class CourseSettings:
    """Where a course lives and how it is built. The fields declared with `setting(...)` are the
    coursewiki plugin's options in mkdocs.yml and `coursewiki build`'s flags; each default is
    written here once."""
    root: Path
    sources_dir: Path
    content_dir: Path
    cache_dir: Path
    course_title: str = "Course wiki"
    site_language: str = "en"             # theme.language: the interface language (navigation labels)
    llm: LLMSettings | None = None        # from writer/llm_url/llm_model/language/llm_timeout
    sources: str = setting("sources", "Sources folder, relative to the course folder.")
    cache: str = setting(DEFAULT_CACHE, "Cache folder (transcripts, embeddings), relative to the course folder.")
    whisper_model: str | None = setting(
        None, "faster-whisper model name or local folder (default: the packaged tiny.en for English talks, the "
              "packaged multilingual base for others; small, large-v3-turbo: from the hub).")
    device: str = setting("auto", "Where whisper and the embeddings run.", choices=("auto", "cpu", "cuda"))
    compute_type: str = setting("auto", "CTranslate2 compute type, e.g. int8, float16 (auto: int8 on CPU, "
                                        "float16 on CUDA).")
    talk_vocabulary: str = setting(
        "hotwords", "How whisper is given the paper's vocabulary (its terms, names and abbreviations, the slides' "
                    "words): as hotwords, as the initial prompt, both, or none (benchmarks/paper_aware_asr.py "
                    "measures each). With none, a talk's transcript does not depend on its paper.",
        choices=("hotwords", "prompt", "both", "none"))
    embedding_model: str | None = setting(
        None, "sentence-transformers model name or folder, e.g. a multilingual one for Chinese talks (default: "
              "bundled MiniLM); part of every embedding's cache key.")
    multilingual_embedding_model: str | None = setting(
        None, "Embedding model for a talk not in English, which must place its sentences near the English paper's "
              "(default: use-multilingual-v3, the packaged Universal Sentence Encoder Multilingual v3; or a "
              "sentence-transformers name or folder).")
    writer: str = setting("extractive", "Who writes the reading report: quoted source sentences, or a language "
                                        "model from numbered evidence (needs llm_url and llm_model).",
                          choices=("extractive", "llm"))
    llm_url: str | None = setting(
        None, "OpenAI-compatible API base URL, e.g. http://127.0.0.1:8080/v1 (llama.cpp server) or "
              "http://127.0.0.1:11434/v1 (Ollama). The API key, if one is needed, is read from COURSEWIKI_LLM_KEY "
              "or OPENAI_API_KEY, never from a file.", kind="url")
    llm_model: str | None = setting(None, "Model name the endpoint knows, e.g. qwen2.5:7b-instruct.")
    llm_timeout: float = setting(
        DEFAULT_LLM_TIMEOUT_S, "Seconds one request to the LLM endpoint may take in all (one retry included); "
                               "after the first failure the build asks it nothing more (extractive reports).",
        kind=float, minimum=0, maximum=3600, minimum_open=True)
    language: str = setting("en", "Language of the reading report (zh: Chinese headings, labels and glossary "
                                  "definitions, quotes as the paper and talk say them, length in 字).",
                            choices=("en", "zh"))
    min_supported: float = setting(
        0.9, "Smallest fraction of a report's cited sentences that must be supported by their evidence "
             "(measured on the real papers: benchmarks/support_threshold.py).", kind=float, minimum=0, maximum=1)
    jobs: int = setting(1, "Pairs whose stages run at the same time on this machine, each in a process of its "
                           "own (whisper, OCR and the embeddings share the cores between them); the site is the "
                           "same as with 1.", kind=int, minimum=1, maximum=64)
    scheduler: str | None = setting(
        None, "Address of a running Dask distributed scheduler (tcp://HOST:PORT): the pairs' stages run as tasks "
              "on its workers, which must see the sources and the cache folder at the same paths; the pages are "
              "written here.")
    online: bool = setting(False, "Look each paper up by the arXiv id or DOI its PDF prints (arXiv API, Crossref) "
                                  "for title, authors, venue and year; an answer is used only when its title is "
                                  "printed on page 1.", kind=bool, flags=("--online/--offline",))
    arxiv_api_url: str = setting(OnlineSettings.arxiv_api_url, "arXiv API query URL the online lookup asks "
                                                                "(?id_list=... is added).", kind="url")
    crossref_api_url: str = setting(OnlineSettings.crossref_api_url, "Crossref works URL the online lookup asks "
                                                                     "(/DOI is added).", kind="url")
    online_timeout_s: float = setting(OnlineSettings.timeout_s, "Seconds one online lookup may take; a lookup "
                                                               "that takes longer keeps page 1's values.",
                                      kind=float, minimum=0, maximum=600, minimum_open=True)

    @property
    def online_lookup(self) -> OnlineSettings:
        return OnlineSettings(self.arxiv_api_url, self.crossref_api_url, self.online_timeout_s)

    @classmethod
    def for_root(cls, root: Path, **overrides) -> "CourseSettings":
        """The course's settings: its mkdocs.yml, then `overrides` (flags; None means not given).
        `sources_dir`, `content_dir`, `cache_dir` and `llm` may be given directly (tests, tools)."""
        root = Path(root).resolve()
        course = read_course_file(root / "mkdocs.yml")
        given = {key: value for key, value in overrides.items() if value is not None}
        unknown = set(given) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown course settings: {', '.join(sorted(unknown))}")
        values = {name: spec.default for name, spec in SETTINGS.items()}
        values.update(course.options)
        for name, spec in SETTINGS.items():
            if name in given:
                try:
                    values[name] = spec.check(given[name])
                except ValueError as err:
                    raise ConfigError(f"invalid value for '--{name.replace('_', '-')}': {err}") from None
        paths = {"sources_dir": root / values["sources"], "cache_dir": root / values["cache"],
                 "content_dir": root / (course.docs_dir or "content")}
        for name in paths:
            if name in given:
                paths[name] = Path(given[name])
        paths = {name: path.resolve() for name, path in paths.items()}
        plain = {"course_title": course.site_name or cls.course_title, "site_language": course.language,
                 "llm": given["llm"] if "llm" in given else _llm_settings(values)}
        plain.update({key: value for key, value in given.items() if key not in SETTINGS and key not in paths})
        return cls(root=root, **plain, **paths, **values)


SETTINGS: dict[str, Setting] = {f.name: f.metadata["setting"] for f in fields(CourseSettings) if "setting" in f.metadata}
DEFAULT_MIN_SUPPORTED = SETTINGS["min_supported"].default


def _llm_settings(values: dict) -> LLMSettings | None:
    """Checked before anything is built, so a missing URL is one line and no half-built content/."""
    if values["writer"] != "llm":
        return None
    if not values["llm_url"] or not values["llm_model"]:
        raise ConfigError("writer 'llm' needs llm_url (an OpenAI-compatible /v1 URL) and llm_model: give them as "
                          "options of the coursewiki plugin in mkdocs.yml, or as --llm-url and --llm-model")
    return LLMSettings(url=values["llm_url"], model=values["llm_model"], language=values["language"],
                       timeout_s=values["llm_timeout"])


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` tags (Material's emoji) and `!relative`; we only need plain keys."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class CourseFile:
    """What coursewiki reads from a course's mkdocs.yml."""
    site_name: str | None = None
    docs_dir: str | None = None
    language: str = "en"
    options: dict = field(default_factory=dict)   # the coursewiki plugin's options, checked


def read_course_file(mkdocs_yml: Path) -> CourseFile:
    """The course's mkdocs.yml; a course without one (a bare sources/ folder) has every default."""
    if not mkdocs_yml.is_file():
        return CourseFile()
    try:
        data = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except yaml.YAMLError as err:
        raise ConfigError(f"{mkdocs_yml}: not valid YAML ({_yaml_problem(err)})") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{mkdocs_yml}: not UTF-8 text; save it as UTF-8") from err
    if not isinstance(data, dict):
        return CourseFile()
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    raw = _plugin_options(mkdocs_yml, data.get("plugins"))
    options = {}
    for key, value in raw.items():
        if key not in SETTINGS:
            raise ConfigError(f"{mkdocs_yml}: plugin '{PLUGIN_NAME}': unknown option '{_short(key)}' "
                              f"(allowed: {', '.join(SETTINGS)})")
        try:
            options[key] = SETTINGS[key].check(value)
        except ValueError as err:
            raise ConfigError(f"{mkdocs_yml}: plugin '{PLUGIN_NAME}' option '{key}': {err}") from None
    name, docs_dir = data.get("site_name"), data.get("docs_dir")
    return CourseFile(site_name=str(name) if name else None, docs_dir=str(docs_dir) if docs_dir else None,
                      language=str(theme.get("language") or "en"), options=options)


def _plugin_options(mkdocs_yml: Path, plugins) -> dict:
    """`plugins:` is a list of names and one-key mappings, or one mapping of names to options."""
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    else:
        entries = []
        for entry in plugins if isinstance(plugins, list) else []:
            if isinstance(entry, dict) and len(entry) == 1:
                entries.extend(entry.items())
            else:
                entries.append((entry, None))
    for name, options in entries:
        if name != PLUGIN_NAME:
            continue
        if options is None:
            return {}
        if not isinstance(options, dict):
            raise ConfigError(f"{mkdocs_yml}: plugin '{PLUGIN_NAME}': expected options as key: value lines")
        return options
    return {}


def _shown(value) -> str:
    text = " ".join(repr(value).split())
    return text if len(text) <= 80 else text[:77] + "..."


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
MAX_CHARS = {"title": 500, "short_title": 100, "week": 40, "group": 100, "abstract": 10_000, "venue": 300, "arxiv_id": 40, "doi": 200,
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
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ConfigError(f"{path}: unknown key '{_short(key)}' ({hint}allowed: {', '.join(sorted(allowed))})")
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
