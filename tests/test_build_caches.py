"""What builds keep in .cache/: compiled templates (kb.templatecache) and results that only change with a
library's version (kb.diskcache), never used for the wrong options or version."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import time
from pathlib import Path

from jinja2 import DictLoader, Environment

from conftest import ROOT, copy_project, user_env

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


def test_the_syllable_table_is_made_without_pypinyin_in_the_build(project_root):
    """pypinyin's dictionaries, once imported, stayed in the build to its end (kb.pinyin._make_table)."""
    import subprocess
    import sys

    code = ("import sys; sys.path.insert(0, 'hooks'); from kb.pinyin import _make_table, table_here; "
            "t = _make_table(); assert 'pypinyin' not in sys.modules and len(t) > 300; assert t == table_here()")
    assert subprocess.run([sys.executable, "-c", code], cwd=project_root).returncode == 0


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


def test_what_a_whole_serve_build_made_is_frozen_until_the_next_whole_build(monkeypatch):
    """kb.collector: after a whole `mkdocs serve` build, what it made is left out of every collection
    (its own garbage collected first); a quick rebuild keeps it so, and its own garbage is collected once
    the server is idle, or first thing in the next rebuild when a save comes before; the next whole build
    thaws it."""
    import gc
    import weakref

    from kb import collector

    class _Node:
        me = None

    try:
        collector.during_build(whole=True)
        made = [[{"entry": n}] for n in range(5000)]  # held, as a build's results are
        cycle = _Node()
        cycle.me = cycle  # garbage in a cycle, which only the collector frees
        left = weakref.ref(cycle)
        del cycle
        collector.after_build(freeze=True)
        frozen = gc.get_freeze_count()
        assert frozen >= 10_000 and gc.get_threshold() == collector.USUAL
        assert left() is None, "the build's garbage was frozen, not collected"
        def quick_rebuild_garbage() -> weakref.ref:
            collector.during_build(whole=False)  # quick
            # still frozen (a frozen object the process lets go of meanwhile, in another thread too, leaves the count)
            assert frozen - 1000 < gc.get_freeze_count() <= frozen
            cycle = _Node()
            cycle.me = cycle  # a quick rebuild's knowledge base: held through the build, so it grows old
            gone = weakref.ref(cycle)  # (a new name: rebinding ``left`` would free a frozen object)
            gc.collect(1)  # now in the oldest generation, which only a full collection walks
            del cycle  # the next rebuild lets go of it: garbage in a cycle
            gc.collect(1)
            assert gone() is not None, "young collections reach old garbage: this test shows nothing"
            collector.after_build(collect=True)
            assert frozen - 1000 < gc.get_freeze_count() <= frozen and gc.get_threshold() == collector.USUAL
            return gone

        gone = quick_rebuild_garbage()
        assert gone() is not None, "collected on the save's time, not when the server is idle"
        gone_too = quick_rebuild_garbage()  # the next save came first: its rebuild collected first
        assert gone() is None, "a quick rebuild's garbage was kept through the next"
        quick_rebuild_garbage()
        collector.during_build(whole=True)  # a whole build calls off the collection left for later
        assert not collector.cancel_idle_collection(), "a collection still to run beside a whole build"
        collector.after_build(freeze=True)
        frozen = gc.get_freeze_count()
        monkeypatch.setattr(collector, "IDLE_S", 0.05)
        gone = quick_rebuild_garbage()
        for _ in range(200):  # the server is idle
            if gone() is None and gone_too() is None:
                break
            time.sleep(0.05)
        assert gone() is None and gone_too() is None, "a quick rebuild's garbage was kept while idle"
        collector.during_build(whole=True)
        assert gc.get_freeze_count() == 0
        collector.after_build()  # a one-off build's end freezes nothing
        assert gc.get_freeze_count() == 0 and len(made) == 5000
    finally:
        gc.unfreeze()
        gc.set_threshold(*collector.USUAL)


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
    # within one build, a result the build holds anyway may be asked for twice; the next build drops it
    assert store.within_build("c", make("c")) == "c" and store.within_build("c", make("c2")) == "c"
    store.start_build(keep=False)
    assert store.within_build("c", make("c3")) == "c3" and made[-2:] == ["c", "c3"]
    store.end_build()  # outside a build (python -m kb check, a test's load) nothing is kept
    assert store.within_build("d", make("d")) == "d" and store.within_build("d", make("d2")) == "d2"
    assert len(store) == 0


def test_a_quick_rebuild_keeps_what_it_did_not_ask_for_of_the_theme_output():
    """kb.quickbuild asks for Material's frame of the pages it makes again only (one slot a page,
    kb.incremental.ThemePages): the rest of the last whole build's stay for the next whole build, and a
    page's frame it replaced is gone."""
    from kb.carryover import CarryOver

    carried = CarryOver()
    carried.start_build(True)
    for slot, version in [(("theme", "a.md"), 1), (("theme", "b.md"), 2)]:
        carried.get_current(slot, version, lambda: "made")
    carried.get(("page", 3), lambda: "made")
    carried.end_build()
    carried.start_build(True)  # quick: asks for b.md's new frame and the page
    carried.get_current(("theme", "b.md"), 4, lambda: "made 4")
    carried.get(("page", 3), lambda: "new")
    carried.keep_unused(("theme",))
    carried.end_build()
    carried.start_build(True)  # whole
    assert carried.get_current(("theme", "a.md"), 1, lambda: "again") == "made"
    assert carried.get_current(("theme", "b.md"), 4, lambda: "again") == "made 4"
    assert carried.get_current(("theme", "b.md"), 2, lambda: "again") == "again"


def test_a_page_s_frame_is_what_surrounds_its_content_found_once():
    """kb.incremental.frame: a changed page's output is its old output's frame around the new content;
    content that is not there exactly once gives no frame (the page is rendered every time)."""
    from kb.incremental import frame

    assert frame("<main><p>a</p></main>", "<p>a</p>") == ("<main>", "</main>")
    assert frame("<p>a</p><p>a</p>", "<p>a</p>") is None
    assert frame("<main></main>", "") is None
    assert frame("<main></main>", "<p>b</p>") is None


def test_the_theme_reads_a_page_s_content_only_where_kb_incremental_knows():
    """A changed page's output is the frame Material's template made around its old content with the new
    content in it (kb.incremental.theme_frame_key): the same as rendering only while the templates read
    the content nowhere but where CONTENT_READS says (printed, and looked into for an <h1>). A theme
    update or an override that reads it elsewhere fails here, before a served page goes stale."""
    import re

    import material
    from kb.incremental import CONTENT_READS

    # any object's content, however named (a page may be passed on as another name): the two that are not
    # a page's are a blog post's and a tags listing's, which no generated page shows
    others = {"{{ post.content }}", "{{ listing.content }}"}
    reads = set()
    for folder in (Path(material.__file__).parent / "templates", ROOT / "overrides"):
        for path in folder.rglob("*.html"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if re.search(r"\.\s*content\b|\[\s*['\"]content['\"]|attr\(\s*['\"]content", line):
                    reads.add(line.strip())
    assert reads == set(CONTENT_READS) | others


def test_a_block_has_one_slot_made_again_when_its_version_changes_and_kept_while_unused():
    """An entry's block on a collection page (kb.render.Renderer.entry_block): one result per slot, made
    again for a new version, and kept through builds that do not ask for it (a page carried whole)."""
    from kb.carryover import CarryOver

    carried, made = CarryOver(), []

    def make(value):
        return lambda: made.append(value) or value

    carried.start_build(True)
    assert carried.get_current(("block", "a.md", "x", "e1"), 1, make("one")) == "one"
    assert carried.get_current(("block", "a.md", "x", "e2"), 1, make("two")) == "two"
    for _ in range(3):  # builds that ask for neither (their page carried whole) keep them
        carried.start_build(True)
        carried.keep_unused(("block",), stale=lambda key: key[3] == "e2")  # e2's entry is gone
    assert carried.get_current(("block", "a.md", "x", "e1"), 1, make("again")) == "one"
    assert carried.get_current(("block", "a.md", "x", "e2"), 1, make("two, again")) == "two, again"
    assert carried.get_current(("block", "a.md", "x", "e1"), 2, make("new")) == "new"  # its entry edited
    assert len(carried) == 2  # the old version replaced, not kept beside the new one
    carried.start_build(False)  # a one-off build keeps nothing
    assert carried.get_current(("block", "a.md", "x", "e1"), 2, make("plain")) == "plain" and len(carried) == 0
    assert made == ["one", "two", "two, again", "new", "plain"]


def test_a_build_reads_each_data_file_once(monkeypatch):
    """The loader and the change history's working tree both ask for every data file: it is read once."""
    from collections import Counter

    from kb import carryover, changes, load
    from kb.knowledge import load_knowledge

    reads, read_yaml = Counter(), load.read_yaml
    counted = lambda raw, shown: reads.update([shown]) or read_yaml(raw, shown)  # noqa: E731
    monkeypatch.setattr(load, "read_yaml", counted)
    monkeypatch.setattr(changes, "read_yaml", counted)
    carryover.start_build(False)
    try:
        kb = load_knowledge(ROOT)
        snapshot = changes.working_snapshot(ROOT)
    finally:
        carryover.end_build()
    assert {r.doc.path for r in kb.records} <= set(reads) and set(reads.values()) == {1}
    assert set(snapshot.entries) == {r.id for r in kb.records}


_SERVE_EDITS = """
import copy, gc, json, shutil, sys, threading, types
from collections import Counter
from pathlib import Path
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
out, config_file = Path(sys.argv[1]), "branches/example/mkdocs.yml"
site, serve_url = out / "site", "http://127.0.0.1:8000/"
states, whole, frozen = [], [], {}

def get_config():  # as `mkdocs serve` loads it for each whole build: its own folder, its own address
    config = load_config(config_file, site_dir=str(site))
    config.site_url = serve_url
    return config

def builder(config=None):  # `mkdocs serve`'s whole build
    whole.append(1)
    build(config or get_config(), serve_url=serve_url)

def serve_build(name):  # what the server does when a watched file changed (after the first build)
    made.clear()
    later.clear()
    returned.clear()
    built = len(whole)
    server.builder()
    # as the browser reloads: the manifest says whether the search index is still to be written
    updating = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["kb"].get("updating")
    returned.set()
    sys.modules["kb.sidefiles"].wait_written()  # what a quick rebuild writes after its pages
    shutil.copytree(site, out / "served" / name)
    shutil.copytree(".", out / "projects" / name, ignore=shutil.ignore_patterns("__pycache__", ".cache", "site"))
    states.append([name, dict(made), "whole" if len(whole) > built else "quick", list(later), updating])
    frozen[name] = gc.get_freeze_count()  # what the cycle collector leaves alone (kb.collector)

guide = Path("docs/guide.md")  # a hand-written page linking an entry by its title
guide.write_text(guide.read_text(encoding="utf-8") + "\\n另见[[type:chameleon]]。\\n", encoding="utf-8")
config = get_config()
config.plugins.on_startup(command="serve", dirty=False)
made = Counter()
builder(config)
server = config.plugins.on_serve(types.SimpleNamespace(builder=builder), config=config, builder=builder)

later = []  # what a rebuild did after its pages (kb.sidefiles.do_later), by the job's name, as it ran
returned = threading.Event()  # set once the builder has returned and what it left was looked at
class Later(list):
    def insert(self, at, job):
        name = job.__qualname__.split(".")[0]
        super().insert(at, lambda: returned.wait(60) and (later.append(name) or job()))
sys.modules["kb.sidefiles"]._PENDING = Later()

def save(path, data):  # the comments at the top stay (yaml-language-server, …)
    head = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))
    path.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

carried = sys.modules["kb.carryover"].CARRIED
get = carried.get
carried.get = lambda key, make: get(key, lambda: made.update([key[0]]) or make())
get_current = carried.get_current
carried.get_current = lambda slot, version, make: get_current(slot, version, lambda: made.update([slot[0]]) or make())
kb = sys.modules["kb"].load_knowledge(Path("."))
# collection pages split in parts from here on, as at scale (kb.pages.lay_out)
path = Path("mkdocs.yml")
path.write_text(path.read_text(encoding="utf-8").replace("collection_page_max: 150", "collection_page_max: 20"), encoding="utf-8")
serve_build("mkdocs-yml")
unreferenced = [r for r in kb.of_kind("scenarios") if not kb.backlinks(r.id)]

path = Path("data/types/temperament.yaml")  # a title that other pages show (and the search help, search/help.json)
text = path.read_text(encoding="utf-8")
title = text.split("  title:", 1)[1].split("\\n", 1)[0].strip()
path.write_text(text.replace(f"  title: {title}\\n", f"  title: {title}（改过）\\n", 1), encoding="utf-8")
serve_build("title")

# a line added above the first type: nothing in the data changes, but every entry of the file moves one
# line down, and each entry page names its file and line
path.write_text(path.read_text(encoding="utf-8").replace("\\n- id:", "\\n# 一行注释\\n- id:", 1), encoding="utf-8")
serve_build("lines")
# a scenario's title, which its category's section of the scenarios page shows (a block carried by the
# category's neighbourhood, kb.render.Renderer.block)
scene = kb.of_kind("scenarios")[0]
scene_text = Path(scene.doc.path).read_text(encoding="utf-8")
assert scene_text.count(f"  title: {scene.entry.title}\\n") == 1
Path(scene.doc.path).write_text(scene_text.replace(f"  title: {scene.entry.title}\\n", f"  title: {scene.entry.title}（改过）\\n", 1), encoding="utf-8")
serve_build("scenario-title")
path.write_text(path.read_text(encoding="utf-8").replace("  title: 变色龙型客户\\n", "  title: 变色龙客户\\n", 1), encoding="utf-8")
serve_build("linked-title")  # the guide's link text changes too

gone, renamed = unreferenced[0], unreferenced[1]
for record, step in ((gone, "deleted"), (renamed, "renamed")):
    path = Path(record.doc.path)
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    i = next(i for i, e in enumerate(entries) if e["id"] == record.id)
    if step == "deleted":
        added = copy.deepcopy(entries[i])
        added.update(id="zz-added-scenario", title=added["title"] + "（新增）")
        added.pop("aliases", None)
        del entries[i]
        save(path, entries + [added])
    else:
        entries[i]["aliases"] = entries[i].get("aliases", []) + [record.id]
        entries[i]["id"] = record.id + "-renamed"
        save(path, entries)
serve_build("entries")  # one added, one deleted, one renamed

path = Path("data/synonyms.yaml")
path.write_text(path.read_text(encoding="utf-8") + "- words: [改过的词, 另一个改过的词]\\n", encoding="utf-8")
path = Path("branches/example/data/company.yaml")
path.write_text(path.read_text(encoding="utf-8").replace("value: 示例：", "value: 改过的示例：", 1), encoding="utf-8")
serve_build("synonyms-and-branch-value")
path = Path("hooks/templates/legal.html.j2")
path.write_text(path.read_text(encoding="utf-8").replace("简短答案", "简短的答案", 1), encoding="utf-8")
serve_build("template")
print(json.dumps({"states": states, "frozen": frozen, "gone": gone.id, "renamed": renamed.id}))
"""

_FRESH_BUILDS = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
for project, site in zip(sys.argv[1::2], sys.argv[2::2]):
    config = load_config(project + "/branches/example/mkdocs.yml", site_dir=site)
    config.site_url = "http://127.0.0.1:8000/"  # as `mkdocs serve` sets it
    build(config)
"""


def _for_server(p) -> bool:
    """What only `mkdocs build` writes, for a web server (kb.precompress, kb.csp); sitemap.xml.gz is MkDocs' own."""
    return (p.suffix == ".gz" and p.name != "sitemap.xml.gz") or p.name == CSP_FILE


def _differ(a, b) -> list[str]:
    files = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file() and not _for_server(p))
    other = sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file() and not _for_server(p))
    if files != other:
        return sorted(set(files) ^ set(other))
    return [f for f in files if (a / f).read_bytes() != (b / f).read_bytes()]


def test_serve_rebuilds_after_each_kind_of_edit_write_what_a_fresh_build_writes(tmp_path):
    """`mkdocs serve` carries results between rebuilds (kb.carryover, kb.incremental) and, after an edit of
    the data alone, writes only the pages that change (kb.quickbuild; driven here as the server drives
    it, by the builder its on_serve gives). After each kind of edit (a title other pages, the tags page
    and the search help show, a line added above entries, a scenario's title, which its category's section
    of the scenarios page shows, an added and a deleted entry, a renamed id, a synonym group, a branch
    value, a template, mkdocs.yml) the served folder is byte for byte a fresh build of the edited project,
    and the title edit made again only the pages that show it."""
    import json

    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "branches", project / "branches")
    served = subprocess.run([sys.executable, "-c", _SERVE_EDITS, str(tmp_path)], cwd=project,
                            env=user_env(), capture_output=True, text=True, timeout=600)
    assert served.returncode == 0, served.stderr[-5000:]
    report = json.loads(served.stdout.strip().splitlines()[-1])
    states = {name: made for name, made, _, _, _ in report["states"]}
    names = [name for name, _, _, _, _ in report["states"]]
    # an edit of the data alone is quick (kb.quickbuild); the others, and pages added or removed, whole
    assert {name: how for name, _, how, _, _ in report["states"]} == {
        "mkdocs-yml": "whole", "title": "quick", "lines": "quick", "scenario-title": "quick", "linked-title": "whole", "entries": "whole",
        "synonyms-and-branch-value": "quick", "template": "whole"}
    args = [a for n in names for a in (str(tmp_path / "projects" / n), str(tmp_path / "fresh" / n))]
    fresh = subprocess.run([sys.executable, "-c", _FRESH_BUILDS, *args], env=user_env(),
                           capture_output=True, text=True, timeout=600)
    assert fresh.returncode == 0, fresh.stderr[-5000:]
    for name in names:
        assert _differ(tmp_path / "fresh" / name, tmp_path / "served" / name) == [], name
    # what a whole build made is frozen at its end; a quick rebuild thaws nothing and freezes nothing
    # (what it replaced is freed as ever: fewer frozen objects)
    frozen = report["frozen"]
    for (name, _, how, _, _), (before, _, _, _, _) in zip(report["states"][1:], report["states"]):
        assert (frozen[name] > 10_000 if how == "whole" else frozen[before] // 2 < frozen[name] <= frozen[before]), (
            name, frozen)
    # a quick rebuild makes its search index, then its exports, after its pages (kb.sidefiles): the browser
    # reloads the page meanwhile, and the manifest it finds says the index is being written (the worker
    # then reads it again before each query); a whole build makes everything before it returns
    assert {name: (jobs, updating) for name, _, how, jobs, updating in report["states"]} == {
        name: (["write_search", "write_later"], True) if how == "quick" else ([], None)
        for name, _, how, _, _ in report["states"]}
    # the scenario's new title is on the scenarios page, in its category's section, which was made again
    # with few other blocks (the others carried)
    scenes = (tmp_path / "served" / "scenario-title" / "scenarios" / "index.html").read_text(encoding="utf-8")
    assert "（改过）" in scenes
    assert 0 < states["scenario-title"].get("block", 0) < states["mkdocs-yml"]["block"] / 4, states["scenario-title"]
    title = states["title"]
    pages = len([p for p in (tmp_path / "served" / "title").rglob("*.html")])
    # the edited file parsed again; the pages showing the title rendered again, not the others
    assert title.get("parse") == 1 and 0 < title.get("page", 0) < pages / 4, title
    # Material's template rendered for few of them: the others' content went into the frame it made before
    # (kb.incremental.theme_frame_key), as the comparison with the fresh build above shows byte for byte
    before, after = tmp_path / "served" / names[names.index("title") - 1], tmp_path / "served" / "title"
    rewritten = [p for p in after.rglob("*.html") if (before / p.relative_to(after)).read_bytes() != p.read_bytes()]
    assert 0 < title.get("theme", 0) < len(rewritten) / 2, (title, len(rewritten))
    # of the files published beside the pages, only those showing the title written again: the exports
    # of the kinds that show it, and kb.json (kb.sidefiles; not the exports' schema, which shows no entry)
    # (the served folders are copied with their files' times)
    exports = [p.relative_to(after) for p in [after / "kb.json", *(after / "export").glob("*.json")]]
    written = [str(p) for p in exports if (after / p).stat().st_mtime_ns != (before / p).stat().st_mtime_ns]
    assert "kb.json" in written and 2 <= len(written) < len(exports) - 1, written
    assert "export/kb.schema.json" not in written, written
    # on the pages that list many entries, only the entries showing the title rendered again (the type is
    # a hub: about a quarter of the entries on the split pages, which mkdocs.yml's edit laid out anew)
    assert 0 < title.get("block", 0) < states["mkdocs-yml"]["block"] / 2, (title, states["mkdocs-yml"])
    # a whole build after quick ones still finds Material's output for the pages they left alone
    assert 0 < states["linked-title"].get("theme", 0) < pages / 2, states["linked-title"]
    # the search help shows the title, from its own file: no other page is written again for it
    assert "（改过）" in (tmp_path / "served" / "title" / "search" / "help.json").read_text(encoding="utf-8")
    served_title = tmp_path / "served" / "title"
    assert (served_title / "phrases" / "empathy" / "index.html").exists()  # split: parts are carried too
    assert "（改过）" in (served_title / "types" / "index.html").read_text(encoding="utf-8")
    assert "（改过）" in (served_title / "tags" / "index.html").read_text(encoding="utf-8")  # the tags page lists it
    assert ">变色龙客户</a>" in (tmp_path / "served" / "linked-title" / "guide" / "index.html").read_text(encoding="utf-8")
    assert "（新增）" in (tmp_path / "served" / "entries" / "scenarios" / "zz-added-scenario" / "index.html").read_text(encoding="utf-8")
    assert not (tmp_path / "served" / "entries" / "scenarios" / report["gone"]).exists()
    old = tmp_path / "served" / "entries" / "scenarios" / report["renamed"] / "index.html"
    assert f'{report["renamed"]}-renamed/' in old.read_text(encoding="utf-8")  # the old address redirects


def test_a_quick_serve_rebuild_is_tried_only_after_an_edit_of_the_data_alone(tmp_path):
    """kb.quickbuild: an edit under data/ may be quick; one anywhere else MkDocs watches, or none it can
    see, takes the whole build; Python's compiled files are not edits."""
    from types import SimpleNamespace

    from kb.quickbuild import Served

    for name in ("data/types/a.yaml", "docs/index.md", "hooks/kb/x.py", "overrides/main.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("一\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), watch=["data", "hooks"],
                             docs_dir=str(tmp_path / "docs"), theme=SimpleNamespace(custom_dir=str(tmp_path / "overrides")))
    served = Served()

    def after(name: str | None) -> bool:
        served.begin(config, tmp_path, None)
        if name:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text("一\n二\n", encoding="utf-8")
        return served.changes()[1]

    assert after("data/types/a.yaml") and after("data/new.yaml")
    # a compiled file alone, or nothing this module watches (a theme folder `--watch-theme` watches): whole
    assert not after("hooks/kb/__pycache__/x.cpython-311.pyc") and not after(None)
    assert not any(after(n) for n in ("docs/index.md", "hooks/kb/x.py", "overrides/main.html", "mkdocs.yml"))


def test_a_quick_serve_rebuild_reads_a_pages_tags_from_its_front_matter():
    from kb.quickbuild import _front

    tagged = "---\ntitle: 甲\ntags:\n  - 计费\n---\n<h1>甲</h1>\ntags: 正文\n"
    assert _front(tagged) == "title: 甲\ntags:\n  - 计费"
    assert _front("---\ntitle: 乙\n---\n<p>tags: 正文里的字</p>\n") is None
    assert _front("<p>没有 front matter</p>\n") is None


def test_a_quick_rebuild_ends_with_its_garbage_collected(monkeypatch):
    """The hook asks kb.collector to collect after a quick `mkdocs serve` rebuild, and to freeze after a
    whole one that made the site (a one-off build: neither)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("knowledge_base_finish", ROOT / "hooks" / "knowledge_base.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    asked = []
    code = type("Code", (), {"end_build": staticmethod(lambda: None),
                             "after_build": staticmethod(lambda **how: asked.append(how))})
    for build, how in [({"quick": True, "made": True}, {"freeze": False, "collect": True}),
                       ({"quick": False, "made": True}, {"freeze": True, "collect": False}),
                       ({"quick": False}, {"freeze": False, "collect": False})]:
        monkeypatch.setattr(hook, "_build", build)
        hook._finish(code)
        assert asked.pop() == how, build


def test_while_serving_an_entry_s_checks_are_kept_only_while_nothing_they_show_changed(tmp_path):
    """kb.check keeps what it found of each entry while serving (kb.carryover): a build with no change
    reports the same mistakes, another entry's new title shows in the choices a message offers, a line
    added above the entry moves its mistake down, and an id that comes back clears the mistake of an entry
    in a file that did not change."""
    import pytest

    from kb.carryover import CARRIED
    from kb.errors import DataError
    from kb.knowledge import load_knowledge

    project = copy_project(tmp_path)
    path = project / "data" / "types" / "temperament.yaml"
    text = path.read_text(encoding="utf-8")
    target = text.split("- id:", 1)[1].split("\n", 1)[0].strip()  # the first type, which other files refer to
    renamed = text.replace(f"- id: {target}\n", f"- id: {target}-gone\n", 1)

    def mistakes() -> list[tuple[str, int, int, str]]:
        CARRIED.start_build(True)
        try:
            load_knowledge(project)
        except DataError as err:
            return sorted((p.path, p.line, p.column, p.message) for p in err.problems)
        finally:
            CARRIED.end_build()
        return []

    try:
        assert mistakes() == []
        path.write_text(renamed, encoding="utf-8")  # every reference to it elsewhere is now a mistake
        first = mistakes()
        elsewhere = [m for m in first if m[0] != "data/types/temperament.yaml" and f"'{target}'" in m[3]]
        assert elsewhere, first
        assert mistakes() == first  # the same build again
        # the messages offer the types by id and title: another file's title edit shows in them
        natures = project / "data" / "types" / "natures.yaml"
        nature = natures.read_text(encoding="utf-8")
        title = nature.split("  title:", 1)[1].split("\n", 1)[0].strip()
        assert any(title in m[3] for m in elsewhere), elsewhere
        natures.write_text(nature.replace(f"  title: {title}\n", f"  title: {title}（改过）\n", 1), encoding="utf-8")
        assert any(f"{title}（改过）" in m[3] for m in mistakes() if m[0] == elsewhere[0][0])
        natures.write_text(nature, encoding="utf-8")
        assert mistakes() == first
        moved = elsewhere[0][0]
        other = project / moved
        other.write_text("# 一行注释\n" + other.read_text(encoding="utf-8"), encoding="utf-8")
        again = mistakes()
        assert [m for m in again if m[0] == moved] == [(p, line + 1, col, msg) for p, line, col, msg in first if p == moved]
        path.write_text(text, encoding="utf-8")  # the id is back: the files that refer to it did not change
        assert mistakes() == []
    finally:
        CARRIED.start_build(False)
        CARRIED.end_build()


def test_exports_left_for_after_the_pages_are_written_whole_or_the_next_rebuild_is_a_whole_one(tmp_path):
    """kb.sidefiles: a quick rebuild's exports are made and written in a thread after its pages, each file
    replaced in one step and not written again while its text is the same; when making or writing them
    fails, no half file stays and the next rebuild is told to be a whole one (once)."""
    from kb import sidefiles
    from kb.carryover import CARRIED

    line = " {\"id\": \"a\"}"
    written = []
    write = sidefiles._write
    sidefiles._write = lambda target, parts: written.append(target.name) or write(target, parts)

    def exports(fail: bool = False):
        yield "kb.json", iter(["{\n", line, "\n}\n"])
        if fail:
            raise RuntimeError("a fault in the exports' code")
        yield "export/types.json", iter(["{\n", line, "\n}\n"])

    CARRIED.start_build(True)
    try:
        sidefiles.write_later(exports(), tmp_path)
        sidefiles.write_pending()
        assert sidefiles.written_well()
        assert (tmp_path / "kb.json").read_text(encoding="utf-8") == "{\n" + line + "\n}\n"
        assert written == ["kb.json.tmp", "types.json.tmp"]
        sidefiles.write_later(exports(fail=True), tmp_path)  # the same texts: nothing written
        sidefiles.write_pending()
        assert not sidefiles.written_well() and sidefiles.written_well()  # a whole build once
        assert written == ["kb.json.tmp", "types.json.tmp"]
        assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["kb.json", "types.json"]

        def disk_full(target, parts):  # the file begun, then the disk full
            write(target, ["{"])
            raise OSError(28, "No space left on device")

        sidefiles._write = disk_full
        line = " {\"id\": \"b\"}"
        sidefiles.write_later(exports(), tmp_path)
        sidefiles.write_pending()
        assert not sidefiles.written_well()
        assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["kb.json", "types.json"]
        assert (tmp_path / "kb.json").read_text(encoding="utf-8") == "{\n {\"id\": \"a\"}\n}\n"  # as it was
    finally:
        sidefiles._write = write
        sidefiles._WRITTEN.clear()
        CARRIED.start_build(False)
        CARRIED.end_build()


def test_what_a_quick_rebuild_leaves_for_later_runs_in_order_and_a_failure_stops_it(tmp_path):
    """kb.sidefiles.do_later: the search index's job first, the exports' after it, in one thread that the
    caller does not wait for; when the first fails, the second does not run and the next rebuild is told
    to be a whole one (once); a rebuild given up drops what it left."""
    import threading

    from kb import sidefiles

    ran, release = [], threading.Event()
    sidefiles.do_later(lambda: ran.append("exports"))
    sidefiles.do_later(lambda: release.wait(10) and ran.append("search"), first=True)
    sidefiles.write_pending()
    assert ran == []  # the caller went on while the job waits
    release.set()
    assert sidefiles.written_well() and ran == ["search", "exports"]

    def fails():
        raise RuntimeError("a fault in the search index's code")

    sidefiles.do_later(lambda: ran.append("exports again"))
    sidefiles.do_later(fails, first=True)
    sidefiles.write_pending()
    assert not sidefiles.written_well() and sidefiles.written_well()
    assert ran == ["search", "exports"]
    sidefiles.do_later(lambda: ran.append("dropped"))
    sidefiles.drop_pending()
    sidefiles.write_pending()
    assert sidefiles.written_well() and ran == ["search", "exports"]
