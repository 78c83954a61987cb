"""`python -m kb pages OUT`: the pages do not depend on hooks. The folder it writes holds what the hooks
hand to MkDocs, from the same code (kb.generate): checked here against the strict build of the real site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from kb.pages import page_url
from kb.pagesdir import read_config


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pages") / "out"
    result = subprocess.run([sys.executable, "-m", "kb", "pages", str(out)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def body(markdown_source: str) -> str:
    """A page source without its front matter, as MkDocs takes it."""
    if markdown_source.startswith("---\n"):
        return markdown_source.split("\n---\n", 1)[1]
    return markdown_source


def search_rows(search: Path) -> list[list]:
    """Every search document as the worker reads it (location, kind, title, teaser), in order."""
    shards = sorted((search / "docs").glob("*.json"), key=lambda p: int(p.stem))
    return [row for shard in shards for row in json.loads(shard.read_text(encoding="utf-8"))]


def test_the_folder_holds_what_the_build_generates(folder, site):
    docs = folder / "docs"
    hand = {p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*") if p.is_file()}
    made = [p.relative_to(docs) for p in docs.rglob("*") if p.is_file() and p.relative_to(docs) not in hand]
    pages = [p for p in made if p.suffix == ".md"]
    assert len(pages) > 50
    for rel in pages:
        built = (site / page_url(rel.as_posix()) / "index.html").read_text(encoding="utf-8")
        content = body((docs / rel).read_text(encoding="utf-8"))
        assert content.strip() and content in built, f"{rel}: not the content of the built page"
    others = [p for p in made if p.suffix != ".md" and p.parts[0] != "search"]
    assert any(p.name == "kb.json" for p in others) and any(p.name == "triage.json" for p in others)
    for rel in others:  # redirects, the export and its schema, the review CSV, the triage data
        assert (docs / rel).read_bytes() == (site / rel).read_bytes(), f"{rel}: not the built file"
    # every page of the site has its source in the folder (a hand-written page, a generated one, a redirect)
    sources = {page_url(p.relative_to(docs).as_posix()) for p in docs.rglob("*.md")}
    sources |= {p.relative_to(docs).parent.as_posix() + "/" for p in docs.rglob("index.html")}
    built_pages = {"" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")}
    assert built_pages <= sources, f"built pages without a source in the folder: {sorted(built_pages - sources)}"


def test_hand_written_pages_have_their_references_resolved(folder):
    guide = (folder / "docs" / "guide.md").read_text(encoding="utf-8")
    assert "[[type:rational" not in guide and "](types/rational.md)" in guide


def test_the_search_index_is_the_builds_but_for_the_hand_written_pages(folder, site):
    """The folder's index has every entry and group heading; the build adds the sections Material's search
    plugin found on the hand-written pages (kind 页面), which an engine indexes itself."""
    ours, built = search_rows(folder / "docs" / "search"), search_rows(site / "search")
    assert len(ours) > 100
    assert built[:len(ours)] == ours
    assert {row[1] for row in built[len(ours):]} == {"页面"}


def test_the_config_has_the_nav_and_no_hooks(folder):
    config = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    project = read_config(ROOT / "mkdocs.yml")
    assert config["nav"] == project["nav"] and "hooks" not in config and "watch" not in config
    assert Path(config["theme"]["custom_dir"]) == ROOT / "overrides"
    assert "kb_search_help" not in config.get("extra", {})  # the no-match view's links are a file of the index
    help = json.loads((folder / "docs" / "search" / "help.json").read_text(encoding="utf-8"))
    assert help[0]["links"], "the search dialog's no-match view"
