"""What the command tells a user."""
from click.testing import CliRunner

from builder.cli import main


def test_build_help_explains_the_sources_layout():
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    assert "sources/<slug>/paper.pdf" in result.output
    assert "pair.yml" in result.output and "--whisper-model" in result.output


def test_check_without_content_says_to_build_first(tmp_path):
    result = CliRunner().invoke(main, ["check", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "no content folder; run `coursewiki build` first" in result.output


def test_embedding_model_is_an_option_and_part_of_the_cache_key(tmp_path):
    from builder.analyse.embed import Embedder
    from builder.cache import Cache
    result = CliRunner().invoke(main, ["build", "--help"])
    assert "--embedding-model" in result.output and "multilingual" in result.output
    cache = Cache(tmp_path)
    texts = ["Direct Preference Optimization needs no reward model."]
    default, multilingual = Embedder(cache), Embedder(cache, "paraphrase-multilingual-MiniLM-L12-v2")
    assert default.cache_path(texts) != multilingual.cache_path(texts)
    assert default.cache_path(texts) == Embedder(cache, None).cache_path(texts)
