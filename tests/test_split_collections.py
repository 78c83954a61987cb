"""Collection pages at scale: a collection page past its size is split into one page per group, and
every anchor it had (/phrases/#<entry id>, /phrases/#<group>) still lands on the entry."""

from __future__ import annotations

import json
import re

import pytest

from benchmarks.synthetic import generate
from conftest import ROOT, build_site, copy_project
from kb import load_knowledge
from kb.settings import SettingsError, read_settings
from kb.pages import (
    SPLITTABLE, entry_url, lay_out, moved_anchors, moved_json, page_url, plan,
)

LIMIT = 20  # small, so that the doubled knowledge base splits every splittable page


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A copy of the project with twice the data and a split threshold of LIMIT entries."""
    project = copy_project(tmp_path_factory.mktemp("split"))
    generate(project, 2)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "collection_page_max: 150" in text
    config.write_text(text.replace("collection_page_max: 150", f"collection_page_max: {LIMIT}"), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def grown_kb(grown):
    kb = load_knowledge(grown)
    return kb, lay_out(kb, LIMIT)


def test_the_real_data_stays_on_one_page_per_collection(kb):
    assert lay_out(kb) == {}
    for r in kb.of_kind("phrases"):
        assert entry_url(r) == f"phrases/#{r.id}"


def test_a_grown_collection_is_split_by_group_and_every_entry_moves_to_its_part(grown_kb):
    kb, parts = grown_kb
    assert set(parts) == set(SPLITTABLE)
    for src, page_parts in parts.items():
        kinds = {g.kind for g in SPLITTABLE[src][2]}
        placed = [r.id for p in page_parts for r in p.records]
        assert sorted(placed) == sorted(r.id for k in kinds for r in kb.of_kind(k))  # each once
        for part in page_parts:
            assert 0 < len(part.records) <= LIMIT
            for r in part.records:
                assert entry_url(r) == f"{page_url(part.src_uri)}#{r.id}"
    phrases = {p.src_uri: p for p in parts["phrases/index.md"]}
    assert "phrases/empathy/index.md" in phrases  # a category, at its own address
    assert {r.entry.category for r in phrases["phrases/empathy/index.md"].records} == {"感同身受型"}
    # a group too big for one page is shared by the first character of the ids
    swaps = [p for p in parts["phrases/index.md"] if p.group.kind == "swaps"]
    assert len(swaps) > 1 and all(re.fullmatch(r"phrases/swaps-[a-z0-9]/index\.md", p.src_uri) for p in swaps)


def test_every_old_anchor_is_mapped_to_the_page_holding_it(grown_kb):
    kb, parts = grown_kb
    moved = moved_anchors("phrases/index.md", parts["phrases/index.md"])
    for kind in ("phrases", "swaps"):
        for r in kb.of_kind(kind):
            assert moved[r.id] == page_url(r.page).removeprefix("phrases/"), r.id
            for old in r.entry.aliases:
                assert moved[old] == moved[r.id]
    assert moved["empathy"] == "empathy/"
    assert moved["swaps"].startswith("swaps-")
    assert json.loads(moved_json({"a": "<x>&"})) == {"a": "<x>&"}
    assert "<" not in moved_json({"</script>": "x"})


def test_the_plan_has_an_index_and_the_parts(grown_kb):
    kb, parts = grown_kb
    specs = {s.src_uri: s for s in plan(kb, parts)}
    assert specs["phrases/index.md"].template == "collection_index.html.j2"
    assert specs["phrases/empathy/index.md"].context["only"] == {r.id for r in kb.of_kind("phrases")
                                                                 if r.entry.category == "感同身受型"}
    assert specs["scenarios/index.md"].template == "scenarios.html.j2"  # not splittable: unchanged


def test_the_threshold_is_read_from_mkdocs_yml_and_checked():
    assert read_settings({}).collection_page_max == 150
    assert read_settings({"kb": {"collection_page_max": 40}}).collection_page_max == 40
    for bad in (0, -3, "many", True, 2.5):
        with pytest.raises(SettingsError, match="extra.kb.collection_page_max"):
            read_settings({"kb": {"collection_page_max": bad}})


# ---------------------------------------------------------------- the built site

@pytest.fixture(scope="module")
def grown_site(grown, tmp_path_factory):
    site = tmp_path_factory.mktemp("split-site")
    result = build_site(grown, site)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    return site


def test_the_split_site_builds_with_index_and_part_pages(grown_site, grown_kb):
    kb, parts = grown_kb
    index = (grown_site / "phrases" / "index.html").read_text(encoding="utf-8")
    data = re.search(r'<div id="kb-moved" hidden>(.*?)</div>', index, re.S)
    assert data, "the collection page has no anchor map"
    moved = json.loads(data.group(1))
    assert moved["empathy"] == "empathy/"
    for group in ("swaps", "recommended", "empathy", "thanks"):
        assert f'id="{group}"' in index  # group anchors still exist on the page itself
    for part in parts["process/index.md"]:
        html = (grown_site / page_url(part.src_uri) / "index.html").read_text(encoding="utf-8")
        for r in part.records:
            assert f'id="{r.id}"' in html
    assert 'href="empathy/"' in index
    # links elsewhere go straight to the part page
    scenario = next(r for r in kb.of_kind("scenarios") if r.entry.phrases)
    html = (grown_site / "scenarios" / scenario.id / "index.html").read_text(encoding="utf-8")
    target = kb.by_id[scenario.entry.phrases[0]]
    assert f'../../{entry_url(target)}"' in html or f'"../../{entry_url(target)}' in html


@pytest.mark.browser
def test_old_anchors_land_on_the_entry_in_the_browser(grown_site, grown_kb, browser):
    from playwright.sync_api import expect

    from browser import Traffic, axe_report, axe_violations, serve

    kb, _ = grown_kb
    phrase = next(r for r in kb.of_kind("phrases") if r.entry.category == "哄客户")
    traffic = Traffic()
    with serve(grown_site) as url:
        context = browser.new_context(base_url=url, locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        traffic.watch(page)
        try:
            page.goto(f"phrases/#{phrase.id}")
            page.wait_for_url(re.compile(rf"/phrases/coax/#{phrase.id}$"))
            expect(page.locator(f"[id='{phrase.id}']")).to_be_in_viewport()
            page.goto("process/#five-steps")
            page.wait_for_url(re.compile(r"/process/five-steps/#five-steps$"))
            page.goto("phrases/")  # the index page itself stays, with its groups
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                assert not axe_violations(page), axe_report(axe_violations(page))
            page.locator("article a[href$='/phrases/coax/']").click()  # Material makes hrefs absolute
            page.wait_for_url(re.compile(r"/phrases/coax/$"))
            assert not axe_violations(page), axe_report(axe_violations(page))
            # a same-page anchor change (a link written as /phrases/#id) is followed too
            page.goto("phrases/")
            page.evaluate(f"location.hash = '{phrase.id}'")
            page.wait_for_url(re.compile(rf"/phrases/coax/#{phrase.id}$"))
        finally:
            context.close()
    assert not traffic.outside() and not traffic.console_errors, (traffic.outside(), traffic.console_errors)
    assert not traffic.failed, traffic.failed


def test_the_home_page_and_the_call_card_do_not_grow_with_the_data(kb):
    """Past FRONT_LIST_MAX types or swaps, the home page and the call card show that many and link to all."""
    from kb.buildinfo import build_info
    from kb.render import Renderer

    renderer = Renderer(kb, info=build_info(kb, ROOT, {}, None))
    renderer.env.globals["FRONT_LIST_MAX"] = 3
    types, swaps = len(kb.of_kind("types")), len(kb.of_kind("swaps"))
    assert types > 3 and swaps > 3
    home = renderer.render("home.html.j2", "index.md")
    assert home.count('class="kb-card"') == 3
    assert f'<a href="types/">全部 {types} 种类型的对照表' in home
    table = home[home.index('id="swaps"'):home.index('id="more"')]
    assert table.count("<tr><td>") == 3 and f'<a href="phrases/#swaps">全部 {swaps} 条话术替换</a>' in table
    card = renderer.render("call_card.html.j2", "call-card/index.md")
    rows = card[card.index('id="types"'):card.index('id="escalation"')]
    assert rows.count("<tr><td>") == 3 and f"另有 {types - 3} 种" in rows
