"""Manager features checked in the built HTML, CSV and JSON: review, copy link, changes, export.

Two builds: the shared one of this checkout (today = the build date, git history present), and one of a
copy without .git (an unpacked archive) whose mkdocs.yml fixes "today" in 2028, sets site_url, and whose
data gives a type, a scenario and a swap reviews of their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import html as htmllib
import io
import json
import re
import subprocess

import jsonschema
import pytest

from conftest import ROOT, build_site, copy_project
from kb.model import KINDS
from kb.pages import entry_url
from sitehtml import entry_html, parse, resolve, section

SITE_URL = "https://kb.example.com/handbook/"
ARCHIVE_TODAY = dt.date(2028, 1, 1)
EVIL_OWNER = '=HYPERLINK("http://evil.example")<script>alert(1)</script>'


def text_of(html: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


def add_review(path, entry_id: str, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    head = f"- id: {entry_id}\n"
    assert head in text, f"{entry_id} not in {path}"
    path.write_text(text.replace(head, head + lines, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The archive build: (site, project)."""
    root = tmp_path_factory.mktemp("archive")
    (root / "project").mkdir()
    project = copy_project(root / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace('site_url: ""', f"site_url: {SITE_URL}")
    text = text.replace("\n  kb:\n", f"\n  kb:\n    today: {ARCHIVE_TODAY.isoformat()}\n", 1)
    config.write_text(text, encoding="utf-8")
    add_review(project / "data/types/temperament.yaml", "chameleon",
               "  review:\n    reviewed_on: 2027-10-01\n    owner: 培训部\n    interval_days: 30\n")
    add_review(project / "data/scenarios/billing.yaml", "overcharge-roleplay",
               "  review:\n    reviewed_on: 2027-06-01\n    owner: 培训部\n    due: 2028-01-20\n")
    add_review(project / "data/swaps/negative-words.yaml", "no-way",
               f"  review:\n    reviewed_on: 2027-01-01\n    owner: {json.dumps(EVIL_OWNER)}\n    interval_days: 90\n")
    result = build_site(project, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site", project


# ---------------------------------------------------------------- review on pages

def test_every_legal_note_shows_last_review_owner_and_next_review(site, kb):
    today = dt.date.today()
    for r in kb.of_kind("legal"):
        rv = r.entry.review
        due = rv.reviewed_on + dt.timedelta(days=180)
        text = text_of(entry_html(site, r))
        assert f"最后复核 {rv.reviewed_on.isoformat()} · 负责人 {rv.owner} · 下次复核 {due.isoformat()}" in text, r.subject
        assert ("复核已逾期" in text) == (due < today), r.subject
        if rv.status == "needs-review":
            assert "待法务复核" in text, r.subject


def test_an_overdue_entry_of_any_kind_shows_a_warning(archive):
    site, _ = archive
    page = (site / "types/chameleon/index.html").read_text(encoding="utf-8")
    assert "最后复核 2027-10-01 · 负责人 培训部 · 下次复核 2027-10-31" in text_of(page)
    warning = re.search(r'<div class="admonition warning kb-overdue"[^>]*>(.*?)</div>', page, re.S)
    assert warning and "已逾期 62 天" in text_of(warning.group(1)), "the overdue warning on the type page"
    scenario = text_of((site / "scenarios/overcharge-roleplay/index.html").read_text(encoding="utf-8"))
    assert "下次复核 2028-01-20" in scenario and "复核已逾期" not in scenario  # due in 19 days: soon, not late
    swap = section((site / "phrases/index.html").read_text(encoding="utf-8"), "no-way")
    assert "kb-overdue" in swap and "<script>" not in swap and "&lt;script&gt;" in swap  # an owner is text
    legal = text_of((site / "legal/double-refund/index.html").read_text(encoding="utf-8"))
    assert "复核已逾期" in legal and "2027-05-22（已逾期）" in legal


# ---------------------------------------------------------------- /review/ and its CSV

def review_counts(html: str) -> dict[str, int]:
    return {label: int(n) for label, n in re.findall(r'<a href="#[a-z-]+">([^<（]+)[^<]*</a></td>\s*<td>(\d+)</td>', html)}


def test_review_page_lists_needs_legal_review_by_owner_with_links(site, kb):
    html = (site / "review/index.html").read_text(encoding="utf-8")
    waiting = [r for r in kb.of_kind("legal") if r.entry.review.status == "needs-review"]
    assert waiting, "the data has notes waiting for legal review"
    assert review_counts(html)["待法务复核"] == len(waiting)
    block = section(html, "needs-legal")
    for owner in {r.entry.review.owner for r in waiting}:
        n = sum(r.entry.review.owner == owner for r in waiting)
        assert f"负责人：{owner}（{n} 条）" in text_of(block)
    page = site / "review/index.html"
    linked = {resolve(site, page, h)[0].parent.name for h in re.findall(r'href="([^"#]+)"', block)}
    assert {r.id for r in waiting} <= linked


def test_review_page_counts_overdue_and_soon_entries(archive, kb):
    site, _ = archive
    html = (site / "review/index.html").read_text(encoding="utf-8")
    counts = review_counts(html)
    assert counts["已逾期"] == len(kb.of_kind("legal")) + 2  # every note (2027-05-22), chameleon, no-way
    assert counts["即将到期"] == 1
    assert "overcharge-roleplay" in section(html, "soon")
    assert "负责人：培训部（1 条）" in text_of(section(html, "overdue"))


def test_review_csv_opens_in_a_spreadsheet_and_runs_no_formula(archive, kb):
    site, _ = archive
    raw = (site / "review/review.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so Excel reads the Chinese"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["事项", "负责人", "条目"]
    by_id = {(row[0], row[4]): row for row in rows[1:]}
    assert by_id[("已逾期", "chameleon")][-1] == SITE_URL + "types/chameleon/"
    assert by_id[("已逾期", "no-way")][1] == "'" + EVIL_OWNER
    assert ("即将到期", "overcharge-roleplay") in by_id
    waiting = {r.id for r in kb.of_kind("legal") if r.entry.review.status == "needs-review"}
    assert {i for why, i in by_id if why == "待法务复核"} == waiting
    assert not [c for row in rows for c in row if c[:1] in ("=", "+", "-", "@")]


def test_overdue_legal_notes_can_stop_the_build_with_located_errors(tmp_path):
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "\n  kb:\n", "\n  kb:\n    today: 2028-01-01\n", 1).replace("overdue_legal: ignore", "overdue_legal: error"),
        encoding="utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    located = re.findall(r"^data/legal/[a-z-]+\.yaml:\d+:\d+: 法律说明 '([a-z-]+)'：复核已于 2027-05-22 逾期",
                         result.stderr, re.M)
    assert len(located) == 20, result.stderr
    assert not (tmp_path / "site").exists(), "nothing half-built"


def test_a_mistake_in_the_settings_is_named_not_a_traceback(tmp_path):
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("intervals: {legal: 180}", "intervals: {faq: 7}"),
                      encoding="utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "mkdocs.yml: extra.kb.review.intervals：" in result.stderr and "没有这种数据：faq" in result.stderr


# ---------------------------------------------------------------- copy link

BUTTON = re.compile(r'<div class="kb-permalink"><button type="button" class="kb-link md-button" data-kb-link '
                    r'data-kb-href="([^"]*)"(?: data-kb-url="([^"]*)")? aria-label="([^"]*)"')


def test_every_entry_heading_has_a_copy_link_button(site, kb):
    missing = []
    for r in kb.records:
        path, _, anchor = entry_url(r).partition("#")
        html = (site / path / "index.html").read_text(encoding="utf-8")
        m = re.search(rf'<h([1-6]) id="{re.escape(anchor or r.id)}"[^>]*>.*?</h\1>\s*', html, re.S)
        button = BUTTON.match(html, m.end()) if m else None
        if not button or button.group(1) != (f"#{anchor}" if anchor else "./") or button.group(2) \
                or htmllib.unescape(button.group(3)) != f"复制链接：{r.entry.title}":
            missing.append(r.subject)
    assert not missing, f"entry headings without a right copy-link button: {missing}"


def test_with_site_url_the_button_copies_the_published_address(archive, kb):
    site, _ = archive
    for r in [kb.by_id["chameleon"], kb.by_id["no-way"], kb.by_id["double-refund"]]:
        path, _, anchor = entry_url(r).partition("#")
        urls = BUTTON.findall((site / path / "index.html").read_text(encoding="utf-8"))
        assert SITE_URL + entry_url(r) in [u for _, u, _ in urls], r.subject


# ---------------------------------------------------------------- what changed

def test_changes_page_lists_entries_by_date_from_git(site, kb, project_root):
    from kb.changes import history
    from kb.settings import read_settings

    import yaml
    extra = yaml.load((project_root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["extra"]
    h = history(project_root, read_settings({"kb": {"changes": extra["kb"]["changes"]}}).changes, dt.date.today())
    assert h.available and h.changes
    html = (site / "changes/index.html").read_text(encoding="utf-8")
    page = site / "changes/index.html"
    for day, changes in h.by_day():
        block = section(html, f"day-{day.isoformat()}")
        targets = {resolve(site, page, href)[0].parent.name for href in re.findall(r'href="(\.\./[^"#]+)/?"', block)}
        anchors = set(re.findall(r'href="[^"]*#([a-z0-9-]+)"', block))
        for c in changes:
            if c.what != "removed" and c.id in kb.by_id:
                assert c.id in targets | anchors, f"{day}: {c.what} {c.id} not linked"


def test_every_entry_shows_when_it_last_changed(site, kb):
    missing = [r.subject for r in kb.records if "最后修改 " not in text_of(entry_html(site, r))]
    assert not missing, missing


def test_without_git_history_the_changes_page_says_so(archive, kb):
    site, _ = archive
    text = text_of((site / "changes/index.html").read_text(encoding="utf-8"))
    assert "没有修改历史" in text and "压缩包" in text
    assert "最后修改" not in text_of((site / "types/chameleon/index.html").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- export

@pytest.fixture(scope="module")
def export_validator(site):
    schema = json.loads((site / "export/kb.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors_of(validator, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)][:10]


def test_export_validates_against_its_published_schema(site, export_validator, kb):
    data = json.loads((site / "kb.json").read_text(encoding="utf-8"))
    assert not errors_of(export_validator, data)
    assert {e["id"] for e in data["entries"]} == set(kb.by_id)
    for kind in KINDS:
        part = json.loads((site / f"export/{kind}.json").read_text(encoding="utf-8"))
        assert not errors_of(export_validator, part), kind
        assert sorted(e["id"] for e in part["entries"]) == sorted(r.id for r in kb.of_kind(kind)), kind


def test_the_schema_refuses_what_the_export_must_not_hold(site, export_validator):
    data = json.loads((site / "kb.json").read_text(encoding="utf-8"))
    legal = next(e for e in data["entries"] if e["kind"] == "legal")
    bad = {**data, "entries": [{**legal, "review": None}, {**legal, "kind": "types"}, {k: v for k, v in legal.items() if k != "url"}]}
    found = errors_of(export_validator, bad)
    assert {e.split(":")[0] for e in found} >= {"entries/0", "entries/1", "entries/2"}, found


def test_export_carries_addresses_review_resolved_references_and_version(site, kb, project_root):
    data = json.loads((site / "kb.json").read_text(encoding="utf-8"))
    assert data["generated_on"] == dt.date.today().isoformat()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project_root, capture_output=True, text=True).stdout.strip()
    assert data["data_version"]["commit"] == head
    entries = {e["id"]: e for e in data["entries"]}
    for r in kb.records:
        e = entries[r.id]
        assert e["url"] == entry_url(r) and e["address"] == entry_url(r)
        assert [x["id"] for x in e["refers_to"]] == kb.graph.refers_to(r.id)
        assert all(x["url"] == entry_url(kb.by_id[x["id"]]) for x in e["refers_to"] + e["referred_by"])
        assert e["last_changed"] and e["last_changed"]["date"]
    note = entries["double-refund"]
    due = kb.by_id["double-refund"].entry.review.reviewed_on + dt.timedelta(days=180)
    assert note["review_schedule"]["next_review"] == due.isoformat() and note["review"]["owner"]


def test_archive_export_has_full_addresses_and_no_commit(archive, export_validator):
    site, _ = archive
    data = json.loads((site / "kb.json").read_text(encoding="utf-8"))
    assert not errors_of(export_validator, data)
    assert data["generated_on"] == ARCHIVE_TODAY.isoformat() and data["site_url"] == SITE_URL
    assert data["data_version"]["commit"] is None and data["data_version"]["note"]
    chameleon = next(e for e in data["entries"] if e["id"] == "chameleon")
    assert chameleon["address"] == SITE_URL + "types/chameleon/"
    assert chameleon["review_schedule"]["state"] == "overdue" and chameleon["review_schedule"]["days_left"] == -62
    assert all(x["address"].startswith(SITE_URL) for x in chameleon["refers_to"])


def test_export_page_links_its_schema(site):
    page = site / "export/index.html"
    links = parse(page).links
    assert any(resolve(site, page, h)[0] == site / "export/kb.schema.json" for h in links if "schema" in h)


def test_the_export_asks_the_history_once_not_once_per_entry(kb, monkeypatch):
    """Each entry's last change comes from the build's one table: a per-entry scan of the history made the
    export quadratic (10,000 entries × every change)."""
    from kb.buildinfo import build_info
    from kb.changes import History
    from kb.export import exports

    info = build_info(kb, ROOT)
    assert info.history.available, info.history.reason
    monkeypatch.setattr(History, "last_changed", lambda self: pytest.fail("history scanned again"))
    entries = json.loads(dict(exports(kb, info))["kb.json"])["entries"]
    changed = [e for e in entries if e["last_changed"]]
    assert changed and all(e["last_changed"] == {"date": info.changed[e["id"]].day.isoformat(),
                                                 "commit": info.changed[e["id"]].commit,
                                                 "what": info.changed[e["id"]].what} for e in changed)


def test_the_export_has_an_entry_per_line_and_reads_back_as_written(kb):
    """Written line by line with json's C encoder (indent= is its slow pure-Python one): still the same
    JSON, each entry on a line of its own, so a diff of two exports shows the entries that changed."""
    from kb.buildinfo import build_info
    from kb.export import _dump, document, exports

    info = build_info(kb, ROOT)
    text = dict(exports(kb, info))["export/types.json"]
    assert json.loads(text) == json.loads(json.dumps(document(kb, info, kb.of_kind("types"), "kb.schema.json")))
    entry_lines = [line for line in text.splitlines() if line.startswith(' {"kind": "types"')]
    assert len(entry_lines) == len(kb.of_kind("types"))
    assert _dump({"a": [], "b": {"c": [1]}, "d": [{"e": "<x>"}]}) == '{\n"a": [],\n"b": {"c": [1]},\n"d": [\n {"e": "<x>"}\n]\n}\n'


def test_the_export_page_explains_every_field_the_export_has():
    """docs/export/index.md names each top-level field of the schema and each field added to an entry."""
    from kb.export import _ENVELOPE, export_schema

    page = (ROOT / "docs" / "export" / "index.md").read_text(encoding="utf-8")
    fields = set(export_schema()["required"]) | set(_ENVELOPE)
    assert not [f for f in sorted(fields) if f"`{f}`" not in page], "docs/export/index.md does not explain them"


def test_make_check_names_a_mistake_in_the_settings_as_the_build_does(tmp_path):
    """`make check` reads mkdocs.yml's extra.kb as the build does (kb.generate.prepare): the knowledge team
    sees a settings mistake, and a legal note overdue under `overdue_legal: warn`, before publishing."""
    from conftest import run_check

    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("intervals: {legal: 180}", "intervals: {faq: 7}"), encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "mkdocs.yml: extra.kb.review.intervals：" in result.stderr and "没有这种数据：faq" in result.stderr
    config.write_text(text.replace("\n  kb:\n", "\n  kb:\n    today: 2028-01-01\n", 1)
                      .replace("overdue_legal: ignore", "overdue_legal: warn"), encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 0, result.stderr
    assert len(re.findall(r"^data/legal/[a-z-]+\.yaml:\d+:\d+: 法律说明 '[a-z-]+'：复核已于 ", result.stderr, re.M)) == 20
