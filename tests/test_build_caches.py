"""What builds keep in .cache/: compiled templates (kb.templatecache) and results that only change with a
library's version (kb.diskcache), never used for the wrong options or version."""

from __future__ import annotations

import ast
import subprocess
import sys

from jinja2 import DictLoader, Environment

from conftest import build_site, copy_project, user_env

from kb.csp import CSP_FILE
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


def test_carry_over_keeps_what_the_last_two_builds_used_and_only_when_serving():
    from kb.carryover import CarryOver

    store, made = CarryOver(), []

    def make(value):
        return lambda: made.append(value) or value

    store.start_build(keep=False)
    assert store.get("a", make(1)) == 1 and store.get("a", make(1)) == 1 and len(store) == 0  # a one-off build
    assert made == [1, 1]
    made.clear()
    store.start_build(keep=True)
    store.get("a", make("a")), store.get("b", make("b"))
    store.start_build(keep=True)
    assert store.get("a", make("a2")) == "a"  # carried from the build before
    store.start_build(keep=True)
    assert store.get("b", make("b2")) == "b2"  # not used by the last build: dropped
    assert store.get("a", make("a3")) == "a"
    assert made == ["a", "b", "b2"]
    store.start_build(keep=False)
    assert len(store) == 0


_SERVE_TWICE = """
import sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
site, data = sys.argv[1], Path("data")

def serve_build():
    config = load_config("mkdocs.yml", site_dir=site)
    config.plugins.on_startup(command="serve", dirty=False)  # as `mkdocs serve` starts
    build(config, serve_url="http://127.0.0.1:8000/")

serve_build()
carried = sys.modules["kb.carryover"].CARRIED
made = []
get = carried.get
carried.get = lambda key, make: get(key, lambda: made.append(key[0]) or make())
path = data / "types" / "temperament.yaml"
text = path.read_text(encoding="utf-8")
title = text.split("  title:", 1)[1].split("\\n", 1)[0].strip()
path.write_text(text.replace(f"  title: {title}\\n", f"  title: {title}（改过）\\n", 1), encoding="utf-8")
path = data / "synonyms.yaml"
path.write_text(path.read_text(encoding="utf-8") + "- words: [改过的词, 另一个改过的词]\\n", encoding="utf-8")
serve_build()
print(len(made), len(carried), sorted(set(made)))
"""


def test_a_serve_rebuild_after_an_edit_writes_what_a_fresh_build_writes(tmp_path):
    """`mkdocs serve` carries results between rebuilds (kb.carryover): after an edit its rebuild is byte
    for byte a fresh build of the edited data, and it made again only what the edit touched."""
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    served = subprocess.run([sys.executable, "-c", _SERVE_TWICE, str(tmp_path / "served")], cwd=project,
                            env=user_env(), capture_output=True, text=True, timeout=300)
    assert served.returncode == 0, served.stderr
    made, kept, kinds = served.stdout.strip().splitlines()[-1].split(" ", 2)
    assert 0 < int(made) < int(kept) / 20, served.stdout  # the edited file, the changed pages' prose …
    assert "parse" in kinds and "packed" in kinds  # … and the search documents the edit changed
    fresh = build_site(project, tmp_path / "fresh")
    assert fresh.returncode == 0, fresh.stderr
    # what only `mkdocs build` writes, for a web server (kb.csp, kb.precompress; tests/test_deploy_build.py);
    # sitemap.xml.gz is MkDocs' own
    for_server = lambda p: (p.suffix == ".gz" and p.name != "sitemap.xml.gz") or p.name == CSP_FILE  # noqa: E731
    files = sorted(p.relative_to(tmp_path / "fresh") for p in (tmp_path / "fresh").rglob("*") if p.is_file() and not for_server(p))
    assert files == sorted(p.relative_to(tmp_path / "served") for p in (tmp_path / "served").rglob("*") if p.is_file())
    differ = [str(f) for f in files if (tmp_path / "fresh" / f).read_bytes() != (tmp_path / "served" / f).read_bytes()]
    assert differ == []
    assert "（改过）" in (tmp_path / "served" / "types" / "index.html").read_text(encoding="utf-8")
