"""The synthetic knowledge base of `make bench` is valid data that looks like the real one."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.synthetic import FILE_PREFIX, FIXED_KINDS, generate
from conftest import copy_project
from kb import load_knowledge
from kb.__main__ import main as kb_main


@pytest.fixture(scope="module")
def doubled(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("x2"))
    return project, generate(project, 2)


def test_a_doubled_knowledge_base_passes_make_check(doubled, capsys):
    project, count = doubled
    assert kb_main(["check", "--root", str(project)]) == 0, capsys.readouterr().err
    assert f"没有错误：{count} 个条目" in capsys.readouterr().out


def test_every_kind_grows_in_its_real_proportion(doubled, kb):
    project, count = doubled
    real = Counter(r.kind for r in kb.records)
    grown = Counter(r.kind for r in load_knowledge(project).records)
    fixed = sum(n for kind, n in real.items() if kind in FIXED_KINDS)
    assert count == 2 * len(kb.records) - fixed
    assert grown == Counter({kind: n if kind in FIXED_KINDS else 2 * n for kind, n in real.items()})
    assert list((project / "data" / "scenarios").glob(f"{FILE_PREFIX}*.yaml"))


def test_generated_entries_differ_and_refer_to_each_other(doubled, kb):
    project, _ = doubled
    grown = load_knowledge(project)
    new = [r for r in grown.records if r.id not in kb.by_id]
    titles = Counter(r.entry.title for r in new)
    assert len(titles) > 0.9 * len(new), titles.most_common(3)
    texts = [r.entry.situation for r in new if r.kind == "scenarios"]
    assert len(set(texts)) == len(texts)  # recombined, not copied
    inline_to_new = [ref for ref in grown.graph.references if ref.inline and ref.target not in kb.by_id]
    listed_to_new = [ref for ref in grown.graph.references if not ref.inline and ref.target not in kb.by_id]
    assert inline_to_new and listed_to_new
    # the real entries gain backlinks from generated ones (hubs, as in a real knowledge base)
    assert any(s not in kb.by_id for s in grown.graph.referred_by("grenade"))


def test_generation_is_deterministic(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    generate(a, 2)
    generate(b, 2)
    name = f"phrases/{FILE_PREFIX}001.yaml"
    assert (a / "data" / name).read_text(encoding="utf-8") == (b / "data" / name).read_text(encoding="utf-8")

    def generated(project):
        return {p.relative_to(project): p.read_text(encoding="utf-8") for p in project.glob(f"data/*/{FILE_PREFIX}*.yaml")}
    assert generated(a) and generated(a) == generated(b)  # every generated file, not only the first
