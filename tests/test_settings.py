"""Course settings: the coursewiki plugin's options in mkdocs.yml, overridden by flags for one run."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.config import SETTINGS, CourseSettings
from builder.errors import ConfigError


def _course(tmp_path, options: str = "", extra: str = ""):
    plugin = "  - coursewiki" + (":\n" + "\n".join("      " + line for line in options.strip().splitlines())
                                 if options.strip() else "")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: My course\n{extra}plugins:\n  - search\n{plugin}\n",
                                         encoding="utf-8")
    return tmp_path


def test_settings_come_from_the_plugin_options_in_mkdocs_yml(tmp_path):
    root = _course(tmp_path, "device: cpu\ncompute_type: int8\nmin_supported: 0.75\nsources: papers\n"
                             "embedding_model: my-model\nlanguage: zh\ntalk_vocabulary: prompt",
                   extra="docs_dir: site_pages\n")
    settings = CourseSettings.for_root(root)
    assert (settings.device, settings.compute_type, settings.min_supported) == ("cpu", "int8", 0.75)
    assert settings.talk_vocabulary == "prompt"
    assert settings.embedding_model == "my-model" and settings.language == "zh"
    assert settings.sources_dir == root.resolve() / "papers"
    assert settings.content_dir == root.resolve() / "site_pages"
    assert settings.course_title == "My course"


def test_a_flag_overrides_a_setting_for_one_run_and_none_leaves_it(tmp_path):
    root = _course(tmp_path, "device: cpu\nwriter: extractive")
    assert CourseSettings.for_root(root, device="cuda").device == "cuda"
    assert CourseSettings.for_root(root, device=None).device == "cpu"


def test_a_course_without_mkdocs_yml_has_every_default(tmp_path):
    settings = CourseSettings.for_root(tmp_path)
    for name, spec in SETTINGS.items():
        assert getattr(settings, name) == spec.default
    assert settings.content_dir == tmp_path.resolve() / "content"
    assert settings.cache_dir == tmp_path.resolve() / ".coursewiki-cache"


def test_llm_settings_in_mkdocs_yml_make_the_llm_writer(tmp_path):
    root = _course(tmp_path, "writer: llm\nllm_url: http://127.0.0.1:8080/v1\nllm_model: qwen\nllm_timeout: 30\n"
                             "language: zh")
    llm = CourseSettings.for_root(root).llm
    assert (llm.url, llm.model, llm.timeout_s, llm.language) == ("http://127.0.0.1:8080/v1", "qwen", 30.0, "zh")
    assert CourseSettings.for_root(root, writer="extractive").llm is None


@pytest.mark.parametrize("options, named", [
    ("device: gpu", "option 'device': expected one of: auto, cpu, cuda, but received: 'gpu'"),
    ("talk_vocabulary: slides", "option 'talk_vocabulary': expected one of: hotwords, prompt, both, none, "
                                "but received: 'slides'"),
    ("min_supported: 2", "option 'min_supported': expected a number from 0 to 1, but received: 2"),
    ("llm_timeout: 0", "option 'llm_timeout': expected a number above 0 to 3600, but received: 0"),
    ("min_supported: lots", "option 'min_supported': expected a number, but received: 'lots'"),
    ("llm_url: ftp://example.org/v1", "option 'llm_url': 'ftp://example.org/v1' is not an http:// or https:// URL"),
    ("wisper_model: base", "unknown option 'wisper_model'"),
    ("api_key: sk-123", "unknown option 'api_key'"),
])
def test_a_bad_setting_is_one_line_naming_the_file_key_and_value(tmp_path, options, named):
    root = _course(tmp_path, options)
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"error: {root.resolve() / 'mkdocs.yml'}: plugin 'coursewiki'")
    assert named in result.output
    assert not (root / "content").exists()


def test_mkdocs_itself_rejects_a_bad_setting_in_the_same_words(tmp_path):
    root = _course(tmp_path, "device: gpu")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True)
    assert done.returncode != 0
    assert "option 'device': expected one of: auto, cpu, cuda, but received: 'gpu'" in done.stderr


def test_mkdocs_accepts_every_setting_without_a_warning(tmp_path):
    root = _course(tmp_path, "device: cpu\nwriter: llm\nllm_url: http://127.0.0.1:8080/v1\nllm_model: m\n"
                             "min_supported: 0.8\nwhisper_model: base\nsources: sources")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "WARNING" not in done.stderr


def test_a_flag_with_a_bad_url_names_the_flag(tmp_path):
    with pytest.raises(ConfigError, match=r"^invalid value for '--llm-url': 'http://\[::1' "):
        CourseSettings.for_root(tmp_path, llm_url="http://[::1")


def test_flags_default_to_none_and_show_the_one_default(tmp_path):
    import click
    command = main.commands["build"]
    options = {p.name: p for p in command.params if isinstance(p, click.Option)}
    for name, spec in SETTINGS.items():
        assert options[name].default is None, name
        assert spec.help in options[name].help
        if spec.default is not None and spec.kind is not bool:
            assert f"[default: {spec.default_text()}]" in options[name].help


def test_the_api_key_is_never_a_setting():
    assert not [name for name in SETTINGS if "key" in name or "token" in name]
