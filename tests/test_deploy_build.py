"""What the build writes for a web server (deploy/nginx/): this build's Content-Security-Policy and the
precompressed copies of its text files."""

from __future__ import annotations

import gzip
import os
import re

import pytest

from kb.csp import CSP_FILE, inline_scripts, script_hash
from kb.precompress import MIN_SIZE, TEXT

pytestmark = pytest.mark.deploy


def _policy(site) -> str:
    text = (site / CSP_FILE).read_text(encoding="utf-8")
    return re.search(r'add_header Content-Security-Policy "([^"]+)" always;', text).group(1)


def test_the_policy_allows_exactly_the_inline_scripts_the_pages_hold(site):
    policy = _policy(site)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    scripts = directives["script-src"].split()
    assert scripts[0] == "'self'" and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    wanted = {script_hash(s) for page in site.rglob("*.html") for s in inline_scripts(page.read_text(encoding="utf-8"))}
    assert len(wanted) >= 3  # Material's bootstrap, palette and tab scripts at least
    assert set(scripts[1:]) == wanted


def test_inline_scripts_are_the_ones_a_browser_runs():
    html = ('<script id="__config" type="application/json">{"a": 1}</script><script src="x.js"></script>'
            '<script>run()</script><script type="module">go()</script>')
    assert inline_scripts(html) == ["run()", "go()"]
    # the value a browser computes for `<script>alert(1)</script>` (CSP spec example form)
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


def test_every_text_file_worth_it_has_an_identical_gzip_copy(site):
    texts = [p for p in site.rglob("*") if p.suffix in TEXT and p.is_file() and p.stat().st_size >= 4 * MIN_SIZE]
    assert any(p.name == "search_index.json" for p in texts) and any(p.suffix == ".html" for p in texts)
    for path in texts:
        packed = path.with_name(path.name + ".gz")
        assert packed.exists(), path
        assert gzip.decompress(packed.read_bytes()) == path.read_bytes(), path
    assert not [p for p in site.rglob("*.gz") if not p.with_suffix("").exists()]


def test_a_large_file_is_compressed_as_a_stream(tmp_path, monkeypatch):
    """Past kb.precompress.LARGE a file is compressed a chunk at a time (the exports at scale): its .gz
    holds the file, as compact as gzip.compress makes it, and one that would not gain is not kept."""
    import kb.precompress as precompress

    monkeypatch.setattr(precompress, "LARGE", 1000)
    monkeypatch.setattr(precompress, "CHUNK", 300)
    export = tmp_path / "kb.json"
    export.write_text('{"entries": [' + ",".join(f'{{"id": "e{i}", "标题": "条目 {i}"}}' for i in range(500)) + "]}",
                      encoding="utf-8")
    noise = tmp_path / "noise.txt"
    noise.write_bytes(os.urandom(4000))  # compresses to more than it is
    precompress.precompress(tmp_path)
    packed = export.with_name("kb.json.gz").read_bytes()
    assert gzip.decompress(packed) == export.read_bytes()
    assert len(packed) == len(gzip.compress(export.read_bytes(), compresslevel=precompress.LEVEL, mtime=0))
    assert not noise.with_name("noise.txt.gz").exists()


def test_files_written_again_are_compressed_as_they_end_up(tmp_path):
    """kb.precompress over a site folder a build wrote before (`mkdocs build --dirty`): a page or a search
    shard written again gets a .gz of what it holds now, not the old one."""
    from kb.precompress import precompress

    page, shard = tmp_path / "types" / "index.html", tmp_path / "search" / "0.json"
    page.parent.mkdir()
    shard.parent.mkdir()
    page.write_text("<p>旧</p>" * 100, encoding="utf-8")
    shard.write_text("[0]" * 100, encoding="utf-8")
    precompress(tmp_path)
    shard.write_text("[1]" * 200, encoding="utf-8")
    page.write_text("<p>新的</p>" * 100, encoding="utf-8")
    precompress(tmp_path)
    for path in (page, shard):
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes()
