"""`mkdocs serve` converts again only the pages whose Markdown changed (kb.rendercache)."""

from __future__ import annotations

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kb.rendercache import RenderCache

PAGES = {
    "index.md": "# Home\n\nSee [the guide](guide.md#start).\n",
    "guide.md": "# Guide\n\n## Start {#start}\n\nText.\n",
}


@pytest.fixture
def conversions(monkeypatch):
    done: list[str] = []
    convert = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda self, text: done.append(text) or convert(self, text))
    return done


def _site(tmp_path, pages: dict[str, str]):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for src, text in pages.items():
        (docs / src).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nmarkdown_extensions: [attr_list, toc]\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = Files([File(src, str(docs), config.site_dir, config.use_directory_urls) for src in pages])
    return config, files


def _build(cache: RenderCache, config, files, pages: dict[str, str]) -> dict[str, Page]:
    cache.begin(config, files)
    built = {}
    for src, text in pages.items():
        page = Page(None, files.get_file_from_path(src), config)
        cache.wrap(page)
        page.markdown = text
        page.render(config, files)
        built[src] = page
    cache.end()
    return built


def test_an_unchanged_page_is_not_converted_again_and_looks_the_same(tmp_path, conversions):
    config, files = _site(tmp_path, PAGES)
    cache = RenderCache()
    first = _build(cache, config, files, PAGES)
    assert len(conversions) == 2
    changed = {**PAGES, "guide.md": PAGES["guide.md"] + "\nMore.\n"}
    second = _build(cache, config, files, changed)
    assert conversions[2:] == [changed["guide.md"]] and cache.hits == 1
    home, before = second["index.md"], first["index.md"]
    assert home.content == before.content and 'href="guide/#start"' in home.content
    assert home.title == "Home" and home.present_anchor_ids == before.present_anchor_ids
    # the link to #start is still checked against the page it points to, in this build's files
    assert {f.src_uri: links for f, links in home.links_to_anchors.items()} == {"guide.md": {"start": "guide.md#start"}}
    assert all(f is files.get_file_from_path(f.src_uri) for f in home.links_to_anchors)
    assert [a.id for a in second["guide.md"].toc.items[0].children] == ["start"]


def test_a_page_whose_conversion_logged_something_is_converted_every_time(tmp_path, conversions):
    pages = {**PAGES, "index.md": "# Home\n\nSee [nothing](missing.md).\n"}
    config, files = _site(tmp_path, pages)
    cache = RenderCache()
    _build(cache, config, files, pages)
    _build(cache, config, files, pages)
    assert conversions.count(pages["index.md"]) == 2  # its warning about missing.md shows each time
    assert conversions.count(pages["guide.md"]) == 1


def test_another_set_of_files_converts_everything_again(tmp_path, conversions):
    config, files = _site(tmp_path, PAGES)
    cache = RenderCache()
    _build(cache, config, files, PAGES)
    more = {**PAGES, "new.md": "# New\n"}
    config, files = _site(tmp_path, more)  # a link to guide.md may now mean something else
    _build(cache, config, files, more)
    assert len(conversions) == 2 + 3 and cache.hits == 0


def test_pages_the_last_build_did_not_have_are_forgotten(tmp_path, conversions):
    config, files = _site(tmp_path, PAGES)
    cache = RenderCache()
    _build(cache, config, files, PAGES)
    edited = {**PAGES, "guide.md": "# Guide v2\n"}
    _build(cache, config, files, edited)
    _build(cache, config, files, PAGES)  # the first version of guide.md was forgotten: converted again
    assert conversions.count(PAGES["guide.md"]) == 2
