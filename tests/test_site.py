"""The real site, built strictly, checked from its HTML."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import build_site, copy_project, user_env
from kb.pages import PAGE_KINDS, entry_url
from sitehtml import entry_html, pages, parse, resolve, section

LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}


def test_strict_build_has_no_warnings(site_build):
    _, result = site_build
    log = result.stdout + result.stderr
    assert not re.search(r"^(WARNING|ERROR)\b", log, re.M), log


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_every_page_entry_has_its_page(site, kb, kind):
    records = kb.of_kind(kind)
    assert records, f"no {kind} in the data"
    for r in records:
        page = site / PAGE_KINDS[kind] / r.id / "index.html"
        assert page.exists(), f"{r.subject} has no page at /{PAGE_KINDS[kind]}/{r.id}/"
        assert r.id in parse(page).ids, f"{r.subject}: its page has no #{r.id} anchor"


def test_every_anchored_entry_has_its_anchor(site, kb):
    for r in kb.records:
        path, _, anchor = entry_url(r).partition("#")
        if anchor:
            assert anchor in parse(site / path / "index.html").ids, f"{r.subject}: no #{anchor} on /{path}"


@pytest.mark.parametrize("kind", ["techniques", "phrases", "swaps"])
def test_every_entry_says_when_to_use_it_under_one_label(site, kb, kind):
    """什么时候用: the moments of a call, one line each, under one label (a phrase's `when` follows them as
    its explanation, not under a second label of the same name)."""
    import html as htmllib

    for r in kb.of_kind(kind):
        body = entry_html(site, r)
        assert body.count("什么时候用") == 1, r.subject
        block = re.search(r'<ul class="kb-moments__list">(.*?)</ul>', body, re.S)
        assert block, r.subject
        shown = [htmllib.unescape(li) for li in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]
        assert shown == r.entry.moments and 2 <= len(shown) <= 5, r.subject


def test_every_entry_heading_has_a_permalink(site, kb):
    """A manager copies an entry's address from the link beside its heading: it points at the entry's id."""
    missing = []
    for r in kb.records:
        path, _, anchor = entry_url(r).partition("#")
        html = (site / path / "index.html").read_text(encoding="utf-8")
        anchor = anchor or r.id
        heading = re.search(rf'<h([1-6]) id="{re.escape(anchor)}">(.*?)</h\1>', html, re.S)
        if not heading or f'<a class="headerlink" href="#{anchor}"' not in heading.group(2):
            missing.append(r.subject)
    assert not missing, f"entries whose heading has no permalink to their id: {missing}"


def test_a_legal_note_waiting_for_review_says_so_wherever_it_is_cited(site, kb):
    """An agent who reaches a rule from a scenario, a type or an escalation level sees its status there."""
    unmarked = []
    for r in kb.records:
        for note in [kb.by_id[i] for i in getattr(r.entry, "legal", [])]:
            if note.entry.review.status == "verified":
                continue
            html = entry_html(site, r)
            mark = rf'href="[^"]*legal/{note.id}/"[^>]*>[^<]*</a>\s*<span class="kb-review">待法务复核</span>'
            if not re.search(mark, html):
                unmarked.append(f"{r.subject} -> {note.id}")
    assert not unmarked, f"needs-review notes cited without their status: {unmarked}"


def test_every_internal_link_and_anchor_resolves(site):
    broken = []
    for page in pages(site):
        for href in parse(page).links:
            target = resolve(site, page, href)
            if target is None:
                continue
            path, fragment = target
            if not path.exists():
                broken.append(f"{page.relative_to(site)}: {href} (no file)")
            elif fragment and path.suffix == ".html" and fragment not in parse(path).ids:
                broken.append(f"{page.relative_to(site)}: {href} (no anchor)")
    assert not broken, "\n".join(broken[:50])


def test_every_reference_is_a_link_both_ways(site, kb):
    """A references B ⇒ A's entry links to B, and B's entry links back to A (the backlink)."""
    missing = []
    for ref in kb.graph.references:
        a, b = kb.by_id[ref.source], kb.by_id[ref.target]
        if a.id == b.id:
            continue
        if not _links_to(site, a, b):
            missing.append(f"{a.subject} does not link to {b.subject} ({ref.field})")
        if not _links_to(site, b, a):
            missing.append(f"{b.subject} has no backlink to {a.subject} ({ref.field})")
    assert not missing, "\n".join(missing[:50])


def _links_to(site: Path, a, b) -> bool:
    html = entry_html(site, a)
    path, _, anchor = entry_url(b).partition("#")
    wanted = f"/{path}" + (f"#{anchor}" if anchor else "")
    page = site / entry_url(a).partition("#")[0] / "index.html"
    for href in re.findall(r'href="([^"]+)"', html):
        target = resolve(site, page, href)
        if target is None:
            continue
        file, fragment = target
        got = "/" + file.relative_to(site).as_posix().removesuffix("index.html") + (f"#{fragment}" if fragment else "")
        if got == wanted:
            return True
    return False


def test_no_asset_from_an_outside_host(site):
    outside = []
    for page in pages(site):
        for url in parse(page).assets:
            host = urlsplit(url).hostname or ""
            if url.startswith("//") or (urlsplit(url).scheme in ("http", "https") and host not in LOCAL_HOSTS):
                outside.append(f"{page.relative_to(site)}: {url}")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(encoding="utf-8")):
            outside.append(f"{css.relative_to(site)}: {url}")
        for url in re.findall(r"@import\s+['\"]((?:https?:)?//[^'\"]+)", css.read_text(encoding="utf-8")):
            outside.append(f"{css.relative_to(site)}: {url}")
    assert not outside, "\n".join(outside[:50])


def test_no_theme_template_is_published(site):
    """Theme overrides are Jinja for the build, not files to serve."""
    templates = [p.relative_to(site) for p in site.rglob("*.html") if re.search(r"\{%-? |\{#-", p.read_text(encoding="utf-8"))]
    assert not templates, f"unrendered templates in the site: {templates}"


def test_anchors_come_from_ids_not_from_chinese_headings(site):
    """Every heading id is ASCII: no slug of a Chinese heading (they come out as _1, _2 …)."""
    bad = []
    for page in pages(site):
        if page.relative_to(site).as_posix() == "tags/index.html":
            continue  # the tags plugin's listing: its anchors name tags, not entries
        html = page.read_text(encoding="utf-8")
        for hid in re.findall(r'<h[1-6][^>]*\bid="([^"]*)"', html):
            if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", hid):
                bad.append(f"{page.relative_to(site)}: #{hid}")
    assert not bad, "\n".join(bad[:50])


def test_navigation_lists_sections_not_entries(project_root, kb):
    config = yaml.safe_load((project_root / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", ""))
    flat = yaml.safe_dump(config["nav"], allow_unicode=True)
    for kind in PAGE_KINDS:
        for r in kb.of_kind(kind):
            assert f"{PAGE_KINDS[kind]}/{r.id}.md" not in flat


def test_every_source_key_lists_its_entries(site, kb):
    html = (site / "sources" / "index.html").read_text(encoding="utf-8")
    for s in kb.sources:
        block = section(html, s.key)
        for r in kb.from_source(s.key):
            assert f'{entry_url(r).rsplit("#")[-1] if "#" in entry_url(r) else r.id}' in block, f"{s.key}: {r.subject} missing"


def test_json_export_beside_the_pages(site, kb):
    import json

    data = json.loads((site / "kb.json").read_text(encoding="utf-8"))
    assert {e["id"] for e in data["entries"]} == set(kb.by_id)
    assert all(e["url"] for e in data["entries"])


def test_plain_mkdocs_build_needs_no_environment_variable(tmp_path):
    """`mkdocs build` as any MkDocs user types it: no PYTHONPATH, run from the project folder. The hook must
    import the kb package beside it, and that of this copy (not of the checkout the tests run from)."""
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    marker = project / "hooks" / "kb" / "search.py"
    marker.write_text(marker.read_text(encoding="utf-8").replace('options = {"strip": True,',
                                                                 'options = {"strip": True, "mark": "this-copy",'),
                      encoding="utf-8")
    assert "PYTHONPATH" not in user_env()
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "ModuleNotFoundError" not in result.stderr
    assert "this-copy" in (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
