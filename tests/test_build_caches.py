"""What builds keep in .cache/: compiled templates (kb.templatecache) and results that only change with a
library's version (kb.diskcache), never used for the wrong options or version."""

from __future__ import annotations

import ast
import subprocess
import sys

from jinja2 import DictLoader, Environment

from conftest import copy_project, user_env

from kb.templatecache import use_cache


def _pattern(env: Environment, root) -> str:
    use_cache(env, root)
    return env.bytecode_cache.pattern


def test_the_cache_file_names_depend_on_how_templates_compile_and_on_nothing_else(tmp_path):
    plain = _pattern(Environment(), tmp_path)
    assert plain == _pattern(Environment(), tmp_path)
    assert plain != _pattern(Environment(trim_blocks=True), tmp_path)
    assert plain != _pattern(Environment(comment_start_string="{##", comment_end_string="##}"), tmp_path)
    assert plain != _pattern(Environment(extensions=["jinja2.ext.i18n"]), tmp_path)
    # another process names them the same (no object addresses in the name)
    code = ("import sys; sys.path.insert(0, 'hooks'); from pathlib import Path; from jinja2 import Environment; "
            "from kb.templatecache import use_cache; e = Environment(); use_cache(e, Path(sys.argv[1])); "
            "print(e.bytecode_cache.pattern)")
    other = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == plain


def test_a_second_environment_loads_the_compiled_template_and_an_edit_compiles_again(tmp_path):
    sources = {"page.j2": "Hello {{ name }}"}
    first = Environment(loader=DictLoader(sources))
    use_cache(first, tmp_path)
    assert first.get_template("page.j2").render(name="A") == "Hello A"
    assert list(tmp_path.iterdir()), "nothing was cached"
    second = Environment(loader=DictLoader(sources))
    use_cache(second, tmp_path)
    compiled = []
    second._compile = lambda source, filename: compiled.append(filename) or Environment._compile(second, source, filename)
    assert second.get_template("page.j2").render(name="B") == "Hello B"
    assert compiled == []  # from the cache
    sources["page.j2"] = "Bye {{ name }}"
    third = Environment(loader=DictLoader(sources))
    use_cache(third, tmp_path)
    assert third.get_template("page.j2").render(name="C") == "Bye C"


def test_a_result_is_made_once_per_package_version_and_a_broken_cache_file_is_made_again(tmp_path, monkeypatch):
    import kb.diskcache as diskcache
    from importlib.metadata import version

    monkeypatch.setattr(diskcache, "CACHE", tmp_path)
    made = []
    make = lambda: made.append(1) or {"liu": "刘流"}  # noqa: E731
    assert diskcache.json_for_package("syllables", "pypinyin", make) == {"liu": "刘流"}
    assert diskcache.json_for_package("syllables", "pypinyin", make) == {"liu": "刘流"}
    assert len(made) == 1
    path = tmp_path / f"syllables-pypinyin-{version('pypinyin')}.json"
    path.write_text("{not json", encoding="utf-8")
    assert diskcache.json_for_package("syllables", "pypinyin", make) == {"liu": "刘流"} and len(made) == 2
    assert not list(tmp_path.glob("*.tmp"))


def test_the_cached_syllable_table_is_the_one_pypinyin_gives():
    from kb.pinyin import _make_table, syllable_table

    assert syllable_table() == _make_table()


_THRESHOLDS_AROUND_A_BUILD = """
import gc, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
seen = [gc.get_threshold()]
import mkdocs.plugins
run = mkdocs.plugins.PluginCollection.run_event
def watch(self, name, *args, **kwargs):
    out = run(self, name, *args, **kwargs)
    if name in ("config", "post_build"):
        seen.append(gc.get_threshold())
    return out
mkdocs.plugins.PluginCollection.run_event = watch
try:
    build(load_config("mkdocs.yml", site_dir=sys.argv[1]))
except (Abort, PluginError) as exc:
    seen.append("failed")
seen.append(gc.get_threshold())
print(seen)
"""


def test_full_collections_are_rare_during_a_build_and_as_usual_after(tmp_path):
    """A build raises the cycle collector's full-collection threshold (each full collection walks every
    object of the knowledge base) and puts it back at its end, and when bad data stops it early."""
    from kb import collector

    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")

    def thresholds() -> list:
        run = subprocess.run([sys.executable, "-c", _THRESHOLDS_AROUND_A_BUILD, str(tmp_path / "site")],
                             cwd=project, env=user_env(), capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        return ast.literal_eval(run.stdout.strip().splitlines()[-1])

    usual, during, after_post_build, after = thresholds()
    assert during == (*usual[:2], collector.FULL_COLLECTION_THRESHOLD)
    assert after_post_build == usual and after == usual
    data = project / "data" / "types" / "temperament.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("family: 性格类型", "family: 不存在的类型", 1),
                    encoding="utf-8")
    usual, failed, after = thresholds()
    assert failed == "failed" and after == usual
