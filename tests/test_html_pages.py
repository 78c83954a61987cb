"""Pages written as HTML (kb.htmlpage): no Markdown conversion, the same contents, title and anchors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from types import SimpleNamespace

from kb.htmlpage import anchor_ids, page_title, show_as_html, toc_tokens
from kb.render import TEMPLATES, Renderer
from conftest import build_site, copy_project, user_env
from sitehtml import article

# a strict build of the project, counting what Markdown converts
_COUNTING_BUILD = """
import json, sys, markdown
seen = []
convert = markdown.Markdown.convert
markdown.Markdown.convert = lambda self, text: seen.append(text[:200]) or convert(self, text)
from mkdocs.__main__ import cli
try:
    cli(["build", "--strict", "-q", "--site-dir", sys.argv[1]])
finally:
    print(json.dumps(seen))
"""

PERMALINK = '<a class="headerlink" href="#{0}" title="本条的固定链接">#</a>'
PAGE = (
    f'<h1 id="top">标题 &amp; 副题{PERMALINK.format("top")}</h1>\n<p id="intro">引言</p>\n'
    f'<h2 id="a">甲<span class="kb-badge">徽</span>{PERMALINK.format("a")}</h2>\n'
    f'<h3 id="a1">甲一{PERMALINK.format("a1")}</h3>\n'
    f'<h2 id="b">乙{PERMALINK.format("b")}</h2>\n'
)


def _names(tokens):
    return [(t["level"], t["id"], t["name"], _names(t["children"])) for t in tokens]


def test_contents_nest_by_level_and_leave_out_the_permalink():
    assert _names(toc_tokens(PAGE)) == [
        (1, "top", "标题 &amp; 副题", [(2, "a", "甲徽", [(3, "a1", "甲一", [])]), (2, "b", "乙", [])])]


def test_title_and_anchors_come_from_the_html():
    assert page_title(PAGE) == "标题 & 副题"
    assert anchor_ids(PAGE) == {"top", "intro", "a", "a1", "b"}


def test_a_page_shown_as_html_is_not_converted():
    page = SimpleNamespace(markdown=PAGE)
    show_as_html(page)
    page.render({"markdown_extensions": ["this would fail if Markdown ran"]}, files=None)
    assert page.content == PAGE
    assert [(i.title, i.url, [c.url for c in i.children]) for i in page.toc] == [("标题 &amp; 副题", "#top", ["#a", "#b"])]
    assert page._title_from_render == "标题 & 副题"
    assert page.present_anchor_ids == {"top", "intro", "a", "a1", "b"} and page.links_to_anchors == {}


def test_every_template_writes_html():
    assert sorted(p.name for p in TEMPLATES.glob("*.j2") if not p.name.endswith(".html.j2")) == []


def test_a_build_converts_prose_and_hand_written_pages_only(project_root, tmp_path):
    run = subprocess.run([sys.executable, "-c", _COUNTING_BUILD, str(tmp_path / "site")], cwd=project_root,
                         env=user_env(), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.splitlines()[-1])
    assert not [text for text in seen if '<h1 id="' in text]  # a generated page starts with its <h1>
    assert any(text.startswith("# ") for text in seen)  # hand-written pages are Markdown
    assert len(seen) > 100  # prose values, one by one


def test_prose_on_an_html_page_is_converted_alone_with_links_to_served_addresses(kb):
    renderer = Renderer(kb)
    target = kb.of_kind("types")[0]
    html = renderer.prose_html(f"先看 **[[type:{target.id}]]**。\n\n- 一\n- 二\n\n<script>x()</script>", "scenarios/s/index.md")
    assert f'<strong><a href="../../types/{target.id}/">{target.entry.title}</a></strong>' in html
    assert "<ul>\n<li>一</li>" in html
    # a reference's label is text, escaped once
    labelled = renderer.prose_html(f"见[[type:{target.id}|A&B <i>]]。", "scenarios/s/index.md")
    assert f'<a href="../../types/{target.id}/">A&amp;B &lt;i&gt;</a>' in labelled
    # the Markdown the format promises, not the site's extensions: no admonition made from prose
    assert "admonition" not in renderer.prose_html('!!! note "x"\n    正文', "types/x/index.md")
    assert "<script>" not in html and "&lt;script&gt;" in html
    # inside a sentence or a list item: the text of one paragraph, whatever the value starts with
    assert renderer.prose_html("一句话。", "types/x/index.md", inline=True) == "一句话。"
    for value in ("一。\n\n二。\n- 三", "- 甲\n- 乙", "1. 第一", "> 引文", "## 标题", "    缩进", "---"):
        html = renderer.prose_html(value, "types/x/index.md", inline=True)
        assert not re.search(r"<(p|ul|ol|li|blockquote|h\d|pre|hr)\b", html), (value, html)
    # and in a block of prose: lists, but no heading (it would have no id and break the heading order),
    # no rule and no quotation
    html = renderer.prose_html("## 标题\n\n---\n\n> 引文\n\n- 甲\n- 乙", "types/x/index.md")
    assert "<ul>" in html and not re.search(r"<(h\d|hr|blockquote)\b", html), html


def test_headings_carry_the_site_s_permalink(kb):
    renderer = Renderer(kb, markdown_extensions=["toc"], mdx_configs={"toc": {"permalink": "§", "permalink_title": "固定链接"}})
    assert renderer.permalink == {"text": "§", "title": "固定链接"}
    assert Renderer(kb).permalink is None  # no toc extension: headings without a permalink


def test_an_entry_page_has_its_contents_title_and_permalinks(site, kb):
    record = next(r for r in kb.of_kind("legal") if r.entry.basis)
    page = (site / "legal" / record.id / "index.html").read_text(encoding="utf-8")
    body = article(page)
    for anchor in ("question", "answer", "basis", "basis-1", "apply", "review", "legal-sources"):
        assert f'id="{anchor}"' in body and f'href="#{anchor}" title="本条的固定链接"' in body
    sidebar = page[page.index("md-sidebar--secondary"):]
    # the page's contents in the sidebar, with the basis headings under 依据
    assert re.search(r'href="#basis"[^>]*>.*?<nav.*?href="#basis-1"', sidebar, re.S)
    assert f"<title>{record.entry.title}" in page


def test_links_from_hand_written_pages_to_anchors_of_html_pages_are_still_checked(tmp_path):
    """MkDocs checks a hand-written page's links to anchors against the anchors each page has: an HTML page
    gives them from its ids. A real anchor passes --strict; a missing one fails it, named."""
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    guide = project / "docs" / "guide.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text + "\n见[识别信号](types/index.md#signal-list)。\n", encoding="utf-8")
    assert build_site(project, tmp_path / "ok").returncode == 0
    guide.write_text(text + "\n见[识别信号](types/index.md#no-such-anchor)。\n", encoding="utf-8")
    run = build_site(project, tmp_path / "bad")
    assert run.returncode != 0
    assert "does not contain an anchor '#no-such-anchor'" in run.stdout + run.stderr


def test_a_site_without_directory_addresses_is_refused_with_the_reason(tmp_path):
    """The generated pages link to folder addresses (types/x/): with use_directory_urls: false every such
    link would break silently, so the build stops and says why."""
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n", encoding="utf-8")
    run = build_site(project, tmp_path / "site")
    assert run.returncode != 0
    assert "不支持 use_directory_urls: false" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_every_entry_page_names_its_file_and_line_and_the_repository_editor(kb, project_root):
    """The knowledge team fixes a sentence seen on the site without searching data/ for the id."""
    from kb.buildinfo import build_info, edit_base
    from kb.pages import plan

    assert edit_base("https://git.example.com/cc/kb", "edit/main/docs/") == "https://git.example.com/cc/kb/edit/main/"
    assert edit_base("https://git.example.com/cc/kb/", "-/edit/main/docs") == "https://git.example.com/cc/kb/-/edit/main/"
    assert edit_base(None, "edit/main/docs/") == "" and edit_base("https://x.example/r", "?path=docs/") == ""
    with_repo = Renderer(kb, info=build_info(kb, project_root, {}, "", "https://git.example.com/cc/kb", "edit/main/docs/"))
    plain = Renderer(kb)
    specs = {s.src_uri: s for s in plan(kb)}
    for kind in ("types", "scenarios", "legal", "phrases", "principles"):
        record = kb.of_kind(kind)[-1]
        spec = next(s for s in specs.values() if s.context.get("record") is record) if kind in ("types", "scenarios", "legal") \
            else specs[f"{kind}/index.md"]
        line, _ = record.where()
        shown = f"编辑：<code>{record.doc.path}</code> 第 {line} 行"
        assert shown in plain.render(spec.template, spec.src_uri, **spec.context), (kind, shown)
        page = with_repo.render(spec.template, spec.src_uri, **spec.context)
        assert f'{shown}（<a href="https://git.example.com/cc/kb/edit/main/{record.doc.path}">在仓库中编辑</a>）' in page


def test_an_entry_written_by_the_team_alone_claims_no_source_document(kb):
    from kb.pages import plan

    renderer = Renderer(kb)
    alone = [r for r in kb.records if r.entry.sources == ["authored"]]
    with_source = [r for r in kb.records if "authored" in r.entry.sources and len(r.entry.sources) > 1]
    assert with_source, "the real data has entries a source names only by their topic"
    specs = {s.context["record"].id: s for s in plan(kb) if s.context.get("record")}

    def page_of(r):
        spec = specs[r.id]
        return renderer.render(spec.template, spec.src_uri, **spec.context)

    page = page_of(next(r for r in with_source if r.id in specs))
    assert "编写组撰写（所列源文档只有题目）" in page and "不出自源文档" not in page
    # an entry the team wrote from a law alone (none in the real data yet): `sources: [authored]`
    import dataclasses

    r = next(r for r in with_source if r.id in specs)
    team_only = dataclasses.replace(r, entry=r.entry.model_copy(update={"sources": ["authored"]}))
    spec = specs[r.id]
    page = renderer.render(spec.template, spec.src_uri, **{**spec.context, "e": team_only.entry, "record": team_only})
    assert "编写组撰写，不出自源文档" in page and "只有题目" not in page
    for r in (x for x in alone if x.id in specs):
        assert "编写组撰写，不出自源文档" in page_of(r)


def test_a_serve_rebuild_makes_the_entry_pages_again_when_the_repository_editor_moves(kb, project_root):
    """Each entry page links its file in the repository's editor: a page kept from the build before
    (kb.incremental) must not keep the old address after repo_url or edit_uri change in mkdocs.yml."""
    from kb.buildinfo import build_info
    from kb.incremental import pages_signature

    def signature(repo_url):
        info = build_info(kb, project_root, {}, "", repo_url, "edit/main/docs/")
        return pages_signature(kb, info, project_root / "hooks" / "templates", None)

    assert signature("https://git.example.com/cc/kb") == signature("https://git.example.com/cc/kb")
    assert signature("https://git.example.com/cc/kb") != signature("https://git.example.com/cc/kb-new")


from hypothesis import given, strategies as st  # noqa: E402

_SITE_PATH = st.lists(st.sampled_from(["types", "x", "scenarios", "legal", "a-b", "index.html", "review.csv"]),
                      max_size=4).map(lambda parts: "/".join(parts) or ".")


@given(_SITE_PATH, _SITE_PATH, st.booleans(), st.booleans())
def test_links_between_pages_are_what_posixpath_relpath_gives(target, start, target_slash, start_slash):
    """kb.pages.relpath computes links between site paths itself (posixpath.relpath was slow at scale)."""
    import posixpath

    from kb.pages import relpath

    target += "/" if target_slash and target != "." else ""
    start += "/" if start_slash and start != "." else ""
    assert relpath(target, start) == posixpath.relpath(target, start)


def test_the_navigation_is_made_once_per_folder_for_pages_not_in_it_and_for_each_page_in_it():
    """kb.navonce: MkDocs makes each navigation link the shortest path from the page, so pages of one
    folder share it; a page in the navigation has an item marked current and gets its own."""
    from types import SimpleNamespace

    from kb.navonce import NavOnce

    listed = SimpleNamespace(url="types/")
    nav = SimpleNamespace(pages=[listed])
    once, made = NavOnce(), []

    def render(page):
        return once(page, nav, lambda: made.append(page.url) or f"nav for {page.url}")

    pages = [SimpleNamespace(url=u) for u in ("types/a/", "types/b/", "legal/c/", "types/a/")]
    assert [render(p) for p in pages] == ["nav for types/a/", "nav for types/a/", "nav for legal/c/", "nav for types/a/"]
    assert render(listed) == render(listed) == "nav for types/"
    assert made == ["types/a/", "legal/c/", "types/", "types/"]


def test_a_generated_page_let_go_of_after_its_output_keeps_its_title_and_anchors(project_root):
    """kb.htmlpage.release: a page written as HTML drops its source and content once made, and keeps what
    MkDocs and the theme read later (a nav item without a title of its own, previous/next links, anchors)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    from kb.htmlpage import release, show_as_html

    config = load_config(str(project_root / "mkdocs.yml"))
    html = '<h1 id="t">理智型客户</h1>\n<h2 id="signals">信号</h2>\n'
    file = File("types/x.md", src_dir=None, dest_dir=config.site_dir, use_directory_urls=True)
    file.content_string = html
    page = Page(None, file, config)
    page.read_source(config)
    show_as_html(page)
    page.render(config, Files([file]))
    release(page)
    assert page.markdown is None and page.content is None and file.content_string == ""
    assert page.title == "理智型客户" and page.present_anchor_ids == {"t", "signals"}
