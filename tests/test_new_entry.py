"""`make new KIND=… ID=…`: a complete, valid skeleton of any kind, in the right file, that `make check`
accepts and reminds the author of until every 待填写 is filled."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT, build_site, copy_project, run_check
from kb import DataError, load_knowledge
from kb.model import KINDS, SINGULAR
from kb.skeleton import ALSO, PLACEHOLDER, SkeletonError, placeholders, write_skeleton

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory, kb):
    """A copy of the project's data to add entries to (the real data stays untouched)."""
    root = tmp_path_factory.mktemp("new-entry")
    shutil.copytree(ROOT / "data", root / "data")
    return root


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_gets_a_skeleton_that_loads_with_every_field_there(kind, scratch, kb):
    path = write_skeleton(scratch, kb, SINGULAR[kind], f"new-{SINGULAR[kind]}", None, TODAY)
    assert path == scratch / "data" / kind / f"new-{SINGULAR[kind]}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n")
    if kind == "signals":  # a signal must also be listed by a type, and there is one key per signal
        assert ALSO["signals"] in text
        with pytest.raises(DataError) as err:
            load_knowledge(scratch)
        assert all("没有任何客户类型列出这个信号" in line or "识别信号超过 35 个" in line for line in err.value.lines())
        path.unlink()
        return
    loaded = load_knowledge(scratch)  # valid: it loads with the whole knowledge base
    record = loaded.get(f"new-{SINGULAR[kind]}")
    assert record.kind == kind and record.entry.sources == ["authored"]
    written = yaml.safe_load(text)[0]
    optional_field = re.compile(r"^(\s*)# (\s*(- )?[a-z_]+:( |$))")
    uncommented = yaml.safe_load("\n".join(optional_field.sub(r"\1\2", line) for line in text.splitlines()))
    fields = {f.alias or n for n, f in KINDS[kind].model_fields.items()}
    assert set(uncommented[0]) == fields, "every field is there, the optional ones commented out"
    required = {f.alias or n for n, f in KINDS[kind].model_fields.items() if f.is_required()}
    assert required <= set(written) and "review" in written, "category, review and every required field are filled"
    assert any(r.startswith(f"{record.doc.path}:") and "还没填写" in r for r in placeholders(loaded))
    path.unlink()


def test_a_skeleton_is_added_to_a_chosen_file_of_its_kind(scratch, kb):
    target = scratch / "data" / "scenarios" / "billing.yaml"
    before = target.read_text(encoding="utf-8")
    write_skeleton(scratch, kb, "scenarios", "late-refund", "data/scenarios/billing.yaml", TODAY)
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")) and "- id: late-refund" in after
    new = load_knowledge(scratch).get("late-refund")
    assert new.entry.category == kb.of_kind("categories")[0].id
    assert new.entry.review.reviewed_on == TODAY and new.entry.title.startswith(PLACEHOLDER)
    assert "# 可选：billing " in after, "a reference lists the ids it may take, with their titles"
    target.write_text(before, encoding="utf-8")


@pytest.mark.parametrize("kind, entry_id, file, says", [
    ("faq", "x", None, "没有 'faq' 这种条目（可选：principle（原则）"),
    ("type", "rational", None, "id 'rational' 已被客户类型 'rational' 使用"),
    ("type", "Rational Type", None, "不是 ASCII 小写连字符格式"),
    ("type", "x", "../../etc/x.yaml", "客户类型要写在 data/types/ 下的 .yaml 文件里"),
    ("type", "x", "data/scenarios/billing.yaml", "客户类型要写在 data/types/ 下"),
])
def test_what_cannot_be_written_is_said_in_one_sentence(kind, entry_id, file, says, scratch, kb):
    with pytest.raises(SkeletonError, match=re_escape(says)):
        write_skeleton(scratch, kb, kind, entry_id, file, TODAY)


def re_escape(text: str) -> str:
    return re.escape(text)


def test_make_new_passes_names_as_data_not_as_shell(tmp_path):
    """KIND, ID and FILE reach the command as environment variables: quotes in them run nothing."""
    project = copy_project(tmp_path)
    shutil.copy(ROOT / "Makefile", project)
    os.symlink(ROOT / ".venv", project / ".venv")
    marker = tmp_path / "pwned"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    run = subprocess.run(["make", "-o", ".venv/.installed", "new", f'KIND=x";touch {marker};"', "ID=y"],
                         cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and not marker.exists(), run.stdout + run.stderr
    assert "没有 'x\";touch" in run.stderr and "Traceback" not in run.stderr
    for typed in (f"KIND=$(shell touch {marker})topic", f"ID=$(shell touch {marker})y", f"FILE=$(shell touch {marker})"):
        run = subprocess.run(["make", "-o", ".venv/.installed", "new", "KIND=topic", "ID=y", typed],
                             cwd=project, env=env, capture_output=True, text=True, timeout=120)
        assert not marker.exists(), (typed, run.stdout + run.stderr)  # make never expands what was typed
    ok = subprocess.run(["make", "-o", ".venv/.installed", "new", "KIND=topic", "ID=opening-hours"],
                        cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and (project / "data" / "topics" / "opening-hours.yaml").exists(), ok.stderr
    assert "已写入 data/topics/opening-hours.yaml" in ok.stdout


def test_a_skeleton_not_filled_in_stops_a_strict_build(tmp_path, kb):
    """The placeholders load (the skeleton is valid), but they are never published: `make check` lists
    them and says so, `mkdocs build --strict` (what `make build` runs) stops on them."""
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p")
    write_skeleton(project, kb, "legal", "new-note", None, TODAY)
    check = run_check(project)
    assert check.returncode == 0 and "还有" in check.stdout and "处“待填写”" in check.stdout
    assert "data/legal/new-note.yaml:" in check.stderr and "字段 'title' 还没填写" in check.stderr
    built = build_site(project, tmp_path / "site")
    assert built.returncode != 0 and "法律说明 'new-note'：字段 'title' 还没填写" in built.stdout + built.stderr
