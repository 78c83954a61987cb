"""A data file or folder that is a link (symlink) leading out of the project, or out of a branch's folder,
is refused with a located mistake naming the link: what it points to is never read, shown or published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_check
from kb import DataError, load_knowledge

HERE = Path(__file__).resolve().parent
GRAPH = HERE / "good" / "graph"
SECRET = "root:x:0:0:TOKEN-1234567"
# a valid entry, so following the link would publish it
VALID = "- id: stolen\n  title: 外部文件\n  order: 9\n  summary: 不该出现。\n  body: 不该出现。\n  sources: [s-intro]\n"


@pytest.fixture
def project(tmp_path) -> Path:
    outside = tmp_path / "outside"
    (outside / "topics").mkdir(parents=True)
    (outside / "passwd").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "topics" / "stolen.yaml").write_text(VALID, encoding="utf-8")
    return Path(shutil.copytree(GRAPH, tmp_path / "project"))


def refused(root: Path, branch: Path | None = None) -> list[str]:
    with pytest.raises(DataError) as err:
        load_knowledge(root, branch)
    lines = err.value.lines()
    assert not [line for line in lines if SECRET in line or "stolen" in line or "外部文件" in line], lines
    return lines


def test_a_data_file_linking_out_is_refused_and_never_read(project):
    (project / "data" / "scenarios" / "evil.yaml").symlink_to(project.parent / "outside" / "passwd")
    (project / "data" / "topics" / "more.yaml").symlink_to(project.parent / "outside" / "topics" / "stolen.yaml")
    lines = refused(project)
    assert [line.split(": ")[0] for line in lines] == ["data/scenarios/evil.yaml:1:1", "data/topics/more.yaml:1:1"]
    assert all("链接" in line and "项目" in line for line in lines), lines
    result = run_check(project)
    assert result.returncode == 1 and SECRET not in result.stderr and "Traceback" not in result.stderr


def test_a_folder_or_a_shared_file_linking_out_is_refused(project):
    shutil.rmtree(project / "data" / "topics")
    (project / "data" / "topics").symlink_to(project.parent / "outside" / "topics")
    (project / "data" / "sources.yaml").rename(project.parent / "outside" / "sources.yaml")
    (project / "data" / "sources.yaml").symlink_to(project.parent / "outside" / "sources.yaml")
    lines = refused(project)
    assert lines[:2] == [line for line in lines if line.startswith(("data/sources.yaml:1:1: ", "data/topics:1:1: "))]


def test_a_link_inside_the_project_is_read(project):
    (project / "data" / "topics" / "intro.yaml").rename(project / "intro.yaml")
    (project / "data" / "topics" / "intro.yaml").symlink_to(project / "intro.yaml")
    assert load_knowledge(project).get("intro")


def test_a_branch_file_linking_out_of_its_folder_is_refused(project):
    """A branch's own data stays in its folder: a link to the shared data is as much a mistake."""
    branch = project / "branches" / "east"
    (branch / "data" / "topics").mkdir(parents=True)
    (branch / "data" / "topics" / "local.yaml").symlink_to(project / "data" / "topics" / "intro.yaml")
    (branch / "data" / "company.yaml").symlink_to(project.parent / "outside" / "passwd")
    lines = refused(project, branch)
    assert [line.split(": ")[0] for line in lines] == ["branches/east/data/company.yaml:1:1",
                                                       "branches/east/data/topics/local.yaml:1:1"]
    assert all("分公司文件夹 branches/east" in line for line in lines), lines


def test_a_branch_folder_linking_out_of_the_project_is_refused(project):
    (project / "branches").mkdir()
    (project / "branches" / "east").symlink_to(project.parent / "outside")
    lines = refused(project, project / "branches" / "east")
    assert lines == [line for line in lines if line.startswith("branches/east:1:1: ")] and len(lines) == 1
