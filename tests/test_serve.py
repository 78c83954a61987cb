"""`mkdocs serve` rebuilds when the knowledge changes: the watch list covers data/ and hooks/, and an edit
of the hooks' own Python (hooks/kb/) is used by the next rebuild."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from conftest import MKDOCS, copy_project, user_env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _get(url)
        if body and text in body:
            return True
        time.sleep(0.5)
    return False


@contextmanager
def serving(project: Path, log: Path):
    """`mkdocs serve` on ``project`` at a free port, its output in ``log``; yields the site's address."""
    port = _free_port()
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen([MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, env=user_env(), stdout=output, stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            server.wait(timeout=30)


def _error_page_at_once(url: str) -> str:
    """The error page the server answers at ``url`` (once it is up), answered at once, not held."""
    assert _wait_for_status(url, 404), "mkdocs serve did not come up with the error page"
    started = time.monotonic()
    status, body = _answer(url)
    assert time.monotonic() - started < 5, "the request was held"
    assert status == 404
    return body


def test_serve_rebuilds_when_data_changes(tmp_path, kb):
    project = copy_project(tmp_path)
    record = kb.of_kind("types")[0]
    path = project / record.doc.path
    with serving(project, tmp_path / "serve.log") as site:
        url = f"{site}types/{record.id}/"
        assert _wait_for(url, f'id="{record.id}"'), "mkdocs serve did not come up"
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        for e in entries:
            if e["id"] == record.id:
                e["title"] = "改过的标题 renamed-while-serving"
        lines = path.read_text(encoding="utf-8").splitlines()
        header = "\n".join(line for line in lines[:1] if line.startswith("#"))
        # replace the file in one step, as editors save: a half-written file would be a data mistake
        scratch = path.with_suffix(".tmp")
        scratch.write_text(header + "\n" + yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
        os.replace(scratch, path)
        assert _wait_for(url, "renamed-while-serving"), "the page was not rebuilt after data/ changed"

        search = project / "hooks" / "kb" / "search.py"
        # the manifest (search_index.json) carries the index config that kb.search writes
        _replace(search, 'options = {"strip": True,', 'options = {"strip": True, "mark": "edited-hook",')
        assert _wait_for(f"{site}search/search_index.json", "edited-hook"), \
            "the rebuild after hooks/kb/ changed still ran the old code"


def test_the_kb_package_is_imported_again_only_when_its_code_changed(tmp_path):
    """Each `mkdocs serve` rebuild asks the hook for the kb package: the same modules while hooks/kb/ is
    unchanged (importing it costs every rebuild), new ones after an edit."""
    import importlib.util

    project = copy_project(tmp_path)
    saved = {n: m for n, m in sys.modules.items() if n == "kb" or n.startswith("kb.")}
    try:
        spec = importlib.util.spec_from_file_location("knowledge_base_copy", project / "hooks" / "knowledge_base.py")
        hook = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(hook)
        first = hook._fresh_kb()
        assert hook._fresh_kb() is first
        assert Path(sys.modules["kb"].__file__).is_relative_to(project)
        first.after_build(collect=True)  # a quick rebuild leaves a collection for when the server is idle
        search = project / "hooks" / "kb" / "search.py"
        search.write_text(search.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        assert hook._fresh_kb() is not first
        # the old collector's timer is called off: the new code's whole build must not run beside it
        assert not first.cancel_idle_collection()
    finally:
        for name in [n for n in sys.modules if n == "kb" or n.startswith("kb.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def _answer(url: str) -> tuple[int, str]:
    """Status and body, 404s included (the error page is the development server's 404 answer)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    """Edit a file in one step, as editors save."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    scratch = path.with_suffix(".tmp")
    scratch.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(scratch, path)


@pytest.mark.browser
def test_a_mistake_turns_the_preview_into_an_error_page_that_recovers_by_itself(tmp_path, kb, browser):
    """Started with a mistake present, `mkdocs serve` comes up and answers every address at once with the
    mistakes (in Chinese, located, the cause first); the page in the browser reloads itself when the file is
    fixed, and again when a new mistake is saved — never a request held until a build succeeds."""
    project = copy_project(tmp_path)
    record = kb.of_kind("types")[0]
    path = project / record.doc.path
    title = f"  title: {record.entry.title}\n"
    _replace(path, title, "")  # a required field removed: the build cannot go on
    with serving(project, tmp_path / "serve.log") as site:
        url = f"{site}types/{record.id}/"
        body = _error_page_at_once(url)
        line, _ = record.where()
        assert f"{record.doc.path}:{line}:3" in body and f"客户类型 &#39;{record.id}&#39;：缺少必填字段 &#39;title&#39;" in body
        assert "数据中有 1 处错误" in body and "Traceback" not in body
        assert _answer(site)[1] == body, "every address shows the mistakes"

        page = browser.new_page()
        try:
            page.goto(url)
            assert page.locator(".kb-errors li").count() == 1
            _replace(path, "\n  order: ", "\n" + title + "  order: ")  # fixed
            page.wait_for_selector(f"h1#{record.id}", timeout=60_000)  # the page reloaded by itself
            _replace(path, "\n  order: ", "\n  order: 0 #")  # a new mistake while the page is open
            page.wait_for_selector(".kb-errors", timeout=60_000)
            assert "字段 'order' 不能小于 1" in page.inner_text(".kb-errors")
        finally:
            page.close()
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" not in log and "appear stuck" not in log
    assert f"{record.doc.path}:{line}:3: 客户类型 '{record.id}'：缺少必填字段 'title'" in log, "the terminal says it too"
    assert "not included in the \"nav\"" not in log, "the list of pages outside the nav is gone"


def _wait_for_status(url: str, status: int, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _answer(url)[0] == status:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_a_fault_in_the_projects_own_code_shows_as_an_error_page_and_recovers(tmp_path, kb):
    """A bug in hooks/kb/ met while serving (not a data mistake) answers every address at once with what
    failed and where the full traceback is, instead of MkDocs holding every request; fixing the code brings
    the site back with no restart."""
    project = copy_project(tmp_path)
    generate = project / "hooks" / "kb" / "generate.py"
    fault = '    entries = entries_by_page(build.kb)\n'
    _replace(generate, fault, '    raise RuntimeError("测试用的程序错误")\n' + fault)
    record = kb.of_kind("types")[0]
    with serving(project, tmp_path / "serve.log") as site:
        url = f"{site}types/{record.id}/"
        body = _error_page_at_once(url)
        assert "宝典自身的程序出错了" in body and "RuntimeError: 测试用的程序错误" in body
        _replace(generate, '    raise RuntimeError("测试用的程序错误")\n', "")
        assert _wait_for(url, f'id="{record.id}"'), "the fixed code did not bring the site back"
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "RuntimeError: 测试用的程序错误" in log, "the terminal has the traceback"
