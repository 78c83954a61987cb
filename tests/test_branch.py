"""Branches (分公司): branches/<name>/ fills 本单位规定 and adds local entries on top of the shared knowledge.

The bad-branch corpus is a tiny project in tests/bad-branch/: shared data/ and one branch per mistake
under branches/<case>/, each with the exact report in expected.txt. The example branch is built once
(plain `mkdocs build -f branches/example/mkdocs.yml`) and compared with the shared build.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build_site, copy_project, expected, run_check
from kb import DataError, load_knowledge
from kb.buildinfo import build_info
from kb.export import document
from sitehtml import article, pages, section

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "bad-branch"
BAD = sorted(p for p in (CORPUS / "branches").iterdir() if p.is_dir())
EXAMPLE = ROOT / "branches" / "example"


# ---------------------------------------------------------------- the bad-branch corpus

def test_the_corpus_is_there_and_its_shared_data_is_good():
    assert len(BAD) >= 12
    assert load_knowledge(CORPUS).records
    for case in BAD:
        assert expected(case), f"{case.name}: expected.txt is empty"


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_bad_branch_reports_exactly_the_expected_mistakes(case):
    with pytest.raises(DataError) as err:
        load_knowledge(CORPUS, case)
    assert [str(p) for p in err.value.problems] == expected(case)


def test_check_command_reports_a_branch_all_at_once_without_a_traceback():
    result = run_check(CORPUS, "--branch", "several-mistakes")
    assert result.returncode == 1
    lines = expected(CORPUS / "branches" / "several-mistakes")
    assert len(lines) >= 4  # a company value, a key, a note and a local id, all in one run
    assert result.stderr.splitlines()[:len(lines)] == lines
    assert "Traceback" not in result.stdout + result.stderr


def test_check_command_checks_the_example_branch():
    result = run_check(ROOT, "--branch", "example")
    assert result.returncode == 0, result.stderr
    assert "分公司 'example'：3 项本单位规定，2 个自有条目" in result.stdout


def test_make_targets_pass_the_branch():
    """The name reaches commands in the environment, quoted, after `python -m kb branch` has accepted it."""
    for target, wanted in [("build", 'kb branch --branch="$BRANCH" && .venv/bin/mkdocs build --strict '
                                     '--config-file "branches/$BRANCH/mkdocs.yml"'),
                           ("serve", 'kb branch --branch="$BRANCH" && .venv/bin/mkdocs serve '
                                     '--config-file "branches/$BRANCH/mkdocs.yml"'),
                           ("check", 'kb check --branch="$BRANCH"')]:
        out = subprocess.run(["make", "-n", target, "BRANCH=example"], cwd=ROOT, capture_output=True, text=True).stdout
        assert wanted in out, (target, out)
        plain = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True).stdout
        assert "branches/" not in plain and "--branch" not in plain, (target, plain)
    result = subprocess.run(["make", "check", "BRANCH=example"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "分公司 'example'" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("target", ["build", "check"])
@pytest.mark.parametrize("name", ["x;touch {p};", "x\"; touch {p}; \"", "$(shell touch {p})", "..", "../..",
                                  "Example", "example/../example"])
def test_make_refuses_a_branch_name_that_is_no_branch_folder(tmp_path, target, name):
    """BRANCH is an ASCII id of a folder under branches/: anything else is one clear error, and nothing in it
    is ever run (by the shell or by make) nor read as a branch."""
    planted = tmp_path / "planted"
    result = subprocess.run(["make", target, "BRANCH=" + name.format(p=planted)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and not planted.exists(), result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("kb：")]
    assert len(errors) == 1 and "BRANCH" in errors[0] and "example" in errors[0], result.stderr
    assert "Traceback" not in result.stderr and "INFO" not in result.stderr, "mkdocs did not start"


# ---------------------------------------------------------------- the knowledge base of a branch

@pytest.fixture(scope="module")
def branch_kb():
    return load_knowledge(ROOT, EXAMPLE)


def test_every_company_field_has_a_key_unique_in_its_note(kb):
    notes = [r for r in kb.of_kind("legal") if r.entry.company]
    assert notes
    for r in notes:
        keys = [c.key for c in r.entry.company]
        assert len(keys) == len(set(keys)), r.subject


def test_branch_values_are_addressed_by_note_and_key(branch_kb, kb):
    value = branch_kb.company_value("should-compensate", "approval-limit")
    assert value is not None and value.value.startswith("示例")
    assert value.effective_on == dt.date(2026, 1, 1) and value.review_due == dt.date(2026, 7, 1)
    assert value.decided_by.startswith("示例分公司")
    assert value.label == next(c.label for c in kb.get("should-compensate").entry.company if c.key == "approval-limit")
    assert (value.path, value.line) == ("branches/example/data/company.yaml", 5)
    assert value.anchor == "company-approval-limit"
    assert branch_kb.company_value("should-compensate", "compensation-methods") is None  # not filled
    assert kb.branch is None and kb.company_values == []


def test_a_value_is_overdue_the_day_after_its_review_date(branch_kb):
    from kb.review import ReviewBook
    from kb.settings import ReviewSettings

    def due(today: dt.date) -> dict[str, tuple[str, int]]:
        book = ReviewBook.of(branch_kb, ReviewSettings(), today)
        return {f"{d.value.legal}/{d.value.key}": (d.state, d.days_left) for d in book.values_due}

    key = "should-compensate/approval-limit"  # review_due 2026-07-01
    assert due(dt.date(2026, 7, 2))[key] == ("overdue", -1)
    assert due(dt.date(2026, 7, 1))[key] == ("soon", 0)
    assert key not in due(dt.date(2026, 5, 1))  # more than soon_days (30) ahead
    assert "complaint-appeal-lawsuit/reply-deadlines" not in due(dt.date(2100, 1, 1))  # no review date


def test_local_entries_join_the_graph(branch_kb, kb):
    local = {r.id for r in branch_kb.records if r.local}
    assert local == {"example-branch-hall-queue", "example-branch-duty-manager"}
    assert not any(r.local for r in kb.records) and not local & set(kb.by_id)
    assert "example-branch-hall-queue" in branch_kb.graph.referred_by("should-compensate")
    assert "example-branch-hall-queue" not in kb.graph.referred_by("should-compensate")


def test_the_example_is_clearly_fictional(branch_kb):
    for v in branch_kb.company_values:
        assert v.value.startswith("示例") and "示例" in v.decided_by, v
    for r in branch_kb.records:
        if r.local:
            assert r.entry.title.startswith("示例"), r.subject
    # no number that could be dialled: every run of five or more digits is zeros
    for path in EXAMPLE.rglob("*.y*ml"):
        for run in re.findall(r"\d[\d-]{4,}\d", path.read_text(encoding="utf-8")):
            digits = run.replace("-", "")
            assert re.fullmatch(r"20\d\d\d\d\d\d", digits) or set(digits) == {"0"}, f"{path}: {run}"


def as_json(kb) -> dict:
    return document(kb, build_info(kb, ROOT), kb.records, "kb.schema.json")


def test_export_carries_the_branch(branch_kb, kb):
    shared, branch = as_json(kb), as_json(branch_kb)
    assert shared["branch"] is None and shared["company_values"] == []
    assert branch["branch"] == "example"
    first = branch["company_values"][0]
    assert first == {"legal": "should-compensate", "key": "approval-limit", "label": first["label"],
                     "value": first["value"], "effective_on": "2026-01-01", "decided_by": first["decided_by"],
                     "review_due": "2026-07-01", "path": "branches/example/data/company.yaml", "line": 5}
    assert {e["id"] for e in branch["entries"] if e["local"]} == {"example-branch-hall-queue", "example-branch-duty-manager"}
    company = next(e for e in shared["entries"] if e["id"] == "should-compensate")["company"]
    assert company[0]["key"] == "approval-limit"


def test_branch_config_points_back_at_the_shared_project():
    """MkDocs resolves a relative path against the config that is read (the branch's), not the one
    it INHERITs: the branch names the shared folders again, and `mkdocs serve` watches them."""
    from mkdocs.config import load_config

    config = load_config(str(EXAMPLE / "mkdocs.yml"))
    assert config.site_name == "投诉处理宝典 · 示例分公司"
    assert Path(config.docs_dir).resolve() == ROOT / "docs"
    assert Path(config.theme.custom_dir).resolve() == ROOT / "overrides"
    assert [Path(p).resolve() for p in config.watch] == [ROOT / "data", ROOT / "hooks", ROOT / "mkdocs.yml", EXAMPLE / "data"]
    assert [Path(m.__file__).resolve() for m in config.hooks.values()] == [ROOT / "hooks" / "knowledge_base.py"]
    shared = load_config(str(ROOT / "mkdocs.yml"))
    assert config.nav == shared.nav and config.markdown_extensions == shared.markdown_extensions


# ---------------------------------------------------------------- the example branch, built and compared

def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def search_documents(site: Path) -> str:
    """The text of every search document shard (what a result shows: address, kind, title, teaser)."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted((site / "search" / "docs").glob("*.json")))


def company_table(html: str) -> str:
    return section(article(html), "company")


def test_branch_pages_show_the_branch_values_and_the_shared_pages_do_not(site, branch_site):
    shared = company_table(read(site, "legal/should-compensate"))
    branch = company_table(read(branch_site, "legal/should-compensate"))
    row = re.search(r'<tr>\s*<td><span id="company-approval-limit"></span>.*?</tr>', branch, re.S).group(0)
    assert '<span class="kb-local">本单位规定</span>' in row
    assert "示例：一线坐席单次可直接减免不超过 50 元" in row
    assert "生效日期：2026-01-01" in row and "复核日期：2026-07-01" in row
    assert "示例分公司客服管理部（示例文件：示客〔2025〕1号）" in row
    # the field the branch did not fill stays open
    open_row = re.search(r'<tr>\s*<td><span id="company-compensation-methods"></span>.*?</tr>', branch, re.S).group(0)
    assert "待本单位填写" in open_row and "kb-local" not in open_row
    # the shared site: every field open, no branch text anywhere
    assert shared.count("待本单位填写") == 3 and "本单位规定</span>" not in shared and "示例" not in shared
    for path in pages(site):
        if path.relative_to(site).parts[0] != "authoring":  # the authoring page names the example
            assert "示例分公司" not in path.read_text(encoding="utf-8"), path


def test_branch_adds_only_its_own_pages(site, branch_site):
    shared = {p.relative_to(site) for p in pages(site)}
    branch = {p.relative_to(branch_site) for p in pages(branch_site)}
    assert branch - shared == {Path("scenarios/example-branch-hall-queue/index.html")}
    assert shared - branch == set()
    escalation = read(branch_site, "escalation")
    assert 'id="example-branch-duty-manager"' in escalation and "000-0000-0000" in escalation
    assert 'id="example-branch-duty-manager"' not in read(site, "escalation")
    assert "kb-badge--local" in section(escalation, "example-branch-duty-manager")


def test_branch_site_is_named_and_exports_its_values(site, branch_site):
    assert "投诉处理宝典 · 示例分公司" in read(branch_site, "")
    assert "示例分公司" not in read(site, "")
    branch = json.loads((branch_site / "kb.json").read_text(encoding="utf-8"))
    shared = json.loads((site / "kb.json").read_text(encoding="utf-8"))
    assert branch["branch"] == "example" and len(branch["company_values"]) == 3
    assert shared["branch"] is None and shared["company_values"] == []
    assert "example-branch-hall-queue" in search_documents(branch_site)
    assert "example-branch-hall-queue" not in search_documents(site)


def test_a_bad_branch_stops_the_build_and_writes_nothing(tmp_path):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    branch = project / "branches" / "bad"
    shutil.copytree(EXAMPLE, branch, ignore=shutil.ignore_patterns("site"))
    company = branch / "data" / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8").replace("key: approval-limit", "key: approval-limt")
                       .replace("  effective_on: 2025-10-01\n", ""), encoding="utf-8")
    site = tmp_path / "site"
    result = build_site(project, site, "--config-file", "branches/bad/mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert [line for line in output.splitlines() if line.startswith("branches/")] == [
        "branches/bad/data/company.yaml:6:8: 本单位规定 'should-compensate/approval-limt'：法律说明 'should-compensate' "
        "没有 company 项 'approval-limt'（是不是 'approval-limit'？可选：approval-limit 一线坐席可直接办理的赔偿、话费减免审批权限（金额上限）、"
        "escalated-approval 超出一线权限时各级（班长、值班经理、投诉处理中心）的审批额度和流程、"
        "compensation-methods 可采用的赔偿方式（退费、赠送话费、减免月租等）及适用情形）",
        "branches/bad/data/company.yaml:17:3: 本单位规定 'complaint-appeal-lawsuit/reply-deadlines'："
        "缺少必填字段 'effective_on'",
    ]
    assert "Traceback" not in output
    assert not site.exists() or not any(site.iterdir()), "the failed build wrote files"


def test_branch_values_are_text_on_the_page(tmp_path):
    """A value, like every data value, reaches the page as text: no markup (the page is HTML, which MkDocs
    shows without converting: Markdown syntax stays as written)."""
    from kb.pages import plan
    from kb.render import Renderer

    payload = '<script>alert("x")</script> **不加粗** [点我](javascript:alert(3))'
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "company.yaml").write_text(yaml.safe_dump([{
        "legal": "should-compensate", "key": "approval-limit", "value": payload,
        "effective_on": "2026-01-01", "decided_by": payload}], allow_unicode=True), encoding="utf-8")
    kb = load_knowledge(ROOT, tmp_path)
    spec = next(p for p in plan(kb) if p.src_uri == "legal/should-compensate.md")
    page = Renderer(kb).render(spec.template, spec.src_uri, **spec.context)
    row = next(line for line in page.splitlines() if "company-approval-limit" in line)
    assert "<script" not in row and "<strong" not in row and "<a " not in row
    assert html.unescape(re.sub(r"<[^>]+>", "|", row)).count(payload) == 2



def test_the_review_queue_lists_branch_values_past_their_review(site, branch_site):
    """A branch value carries the date it must be reviewed by: past it (or within the soon window), it is on
    /review/ and in the CSV of that branch; the shared site has no such section."""
    queue = read(branch_site, "review")
    assert 'id="company-values"' in queue
    assert "should-compensate/#company-approval-limit" in queue  # the example's value due 2026-07-01
    assert "branches/example/data/company.yaml:" in queue
    csv_text = (branch_site / "review" / "review.csv").read_text(encoding="utf-8-sig")
    assert "should-compensate#company-approval-limit" in csv_text
    assert "本单位规定已逾期" in csv_text
    shared = read(site, "review")
    assert 'id="company-values"' not in shared
    assert "本单位规定" not in (site / "review" / "review.csv").read_text(encoding="utf-8-sig")
