"""What builds keep in .cache/: compiled templates (kb.templatecache) and results that only change with a
library's version (kb.diskcache), never used for the wrong options or version."""

from __future__ import annotations

import subprocess
import sys

from jinja2 import DictLoader, Environment

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


def test_full_collections_are_rare_during_a_build_and_as_usual_after():
    """A build raises the cycle collector's full-collection threshold (each full collection walks every
    object of the knowledge base) and puts it back at the end, failed or not."""
    import gc

    import knowledge_base as hook
    from kb import collector

    usual = gc.get_threshold()
    try:
        # the hook's view of kb (its own import of the package is not needed for this)
        hook._build["code"] = collector
        collector.during_build()
        assert gc.get_threshold()[:2] == usual[:2] and gc.get_threshold()[2] == collector.FULL_COLLECTION_THRESHOLD
        hook.on_build_error(RuntimeError("a failed build"))
        assert gc.get_threshold() == usual
    finally:
        gc.set_threshold(*usual)
        hook._build.clear()
