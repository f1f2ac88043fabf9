"""`coursewiki new`: a course of one's own from the template that ships in the package."""
from pathlib import Path

import yaml
from click.testing import CliRunner

from builder.cli import main
from builder.new import COURSE_FILES, course_mkdocs_yml

REPO = Path(__file__).resolve().parents[1]
CPU_INDEX = "--index-url https://download.pytorch.org/whl/cpu"


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def _read_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def test_new_writes_a_course_with_search_in_english_and_chinese(tmp_path):
    course = tmp_path / "my-course"
    result = CliRunner().invoke(main, ["new", str(course)])
    assert result.exit_code == 0, result.output
    for path in COURSE_FILES.values():
        assert (course / path).is_file(), path
    config = _read_yaml(course / "mkdocs.yml")
    assert config["site_name"] == "My course" and config["docs_dir"] == "content"
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    assert "custom_dir" not in config["theme"]            # the overrides come from the package
    plugins = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert {"search", "tags", "coursewiki", "glightbox"} <= set(plugins)
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    assert search["lang"] == ["en", "zh"] and "\\u200b" in search["separator"]
    assert "cd " in result.output and "coursewiki build && mkdocs serve" in result.output


def test_new_takes_the_title_given(tmp_path):
    CliRunner().invoke(main, ["new", str(tmp_path / "c"), "--title", "机器学习: papers & talks"])
    assert _read_yaml(tmp_path / "c" / "mkdocs.yml")["site_name"] == "机器学习: papers & talks"


def test_new_never_overwrites_a_file_and_writes_nothing_then(tmp_path):
    (tmp_path / ".gitignore").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert f"{tmp_path / '.gitignore'}: already exists" in result.output and "nothing was written" in result.output
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitignore"]


def test_new_into_a_file_is_one_line(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(tmp_path / "f")])
    assert result.exit_code == 2 and "is a file, not a folder" in result.output


def test_this_repository_is_the_course_that_new_writes():
    """One source: the repository's mkdocs.yml is the template's, and it has no theme/ of its own."""
    title = _read_yaml(REPO / "mkdocs.yml")["site_name"]
    assert (REPO / "mkdocs.yml").read_text(encoding="utf-8") == course_mkdocs_yml(title)
    assert not (REPO / "theme").exists()


def test_the_pages_workflow_takes_cpu_torch_caches_and_builds_with_the_course_settings(tmp_path):
    CliRunner().invoke(main, ["new", str(tmp_path)])
    workflow = _read_yaml(tmp_path / ".github" / "workflows" / "pages.yml")
    steps = workflow["jobs"]["build"]["steps"]
    commands = "\n".join(s.get("run", "") for s in steps)
    assert f"pip install torch==2.13.0 {CPU_INDEX}" in commands
    assert commands.index(CPU_INDEX) < commands.index("pip install -r requirements.txt")
    assert "coursewiki build\n" in commands and "mkdocs build --strict" in commands
    assert "--" not in commands.split("coursewiki build")[1].split("\n")[0]   # the settings are mkdocs.yml's
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".coursewiki-cache" and "mkdocs.yml" in cache["with"]["key"]
    assert (tmp_path / "requirements.txt").read_text(encoding="utf-8").strip().endswith("coursewiki")


def _theme_dirs(course: Path) -> list[str]:
    from mkdocs.config import load_config
    config = load_config(str(course / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    return config.theme.dirs, config.theme.get_env()


def test_the_plugin_adds_the_packaged_theme_below_a_courses_own(tmp_path):
    from builder.mkdocs_plugin import theme_dir
    CliRunner().invoke(main, ["new", str(tmp_path)])
    (tmp_path / "content").mkdir()
    dirs, env = _theme_dirs(tmp_path)
    assert dirs[0] == theme_dir() and Path(env.get_template("main.html").filename) == Path(theme_dir()) / "main.html"
    own = tmp_path / "theme"
    own.mkdir()
    (own / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(text.replace("  # custom_dir: theme", "  custom_dir: theme"), encoding="utf-8")
    dirs, env = _theme_dirs(tmp_path)
    assert Path(dirs[0]) == own.resolve() and dirs[1] == theme_dir()
    assert Path(env.get_template("main.html").filename) == own / "main.html"
