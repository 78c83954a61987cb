"""The stack's horizon, said openly: Material for MkDocs announces its own end of life at every build,
and only the tests silence it; the README names the pinned versions, that date, and the fallback."""

from __future__ import annotations

import datetime
import re
import subprocess

from browser import pinned_axe_version
from conftest import MKDOCS, ROOT, user_env

NOTICE = re.compile(r"Material for MkDocs reaches end of life on (\w+ \d{1,2}, \d{4})")


def pins() -> dict[str, str]:
    """name (lowercase) -> version, from requirements.txt."""
    found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M)
    return {name.lower(): version for name, version in found}


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_names_the_pinned_versions_and_the_fallback():
    text = readme()
    for name in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2", "pydantic", "pyyaml", "jieba", "pypinyin"):
        assert re.search(rf"(?i)\b{re.escape(name)} {re.escape(pins()[name])}\b", text), f"README: {name} {pins()[name]}"
    assert f"axe-core {pinned_axe_version()}" in text
    assert re.search(r"ProperDocs 1\.6\.\d+", text), "README names the fallback and the version that was tried"


def test_only_the_tests_silence_materials_end_of_life_notice(site_build):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "NO_MKDOCS_2_WARNING" not in makefile, "make serve/build must show Material's notice"
    assert user_env()["NO_MKDOCS_2_WARNING"] == "1"
    _, result = site_build
    assert not NOTICE.search(result.stdout + result.stderr), "the tests' build shows the notice"


def test_material_announces_the_end_of_life_date_the_readme_gives(tmp_path):
    """A user's build (no NO_MKDOCS_2_WARNING) of a one-page Material site prints the notice; its date is
    the one in the README."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# x\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n", encoding="utf-8")
    env = {k: v for k, v in user_env().items() if k != "NO_MKDOCS_2_WARNING"}
    result = subprocess.run([MKDOCS, "build", "--site-dir", str(tmp_path / "site")], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    said = NOTICE.search(result.stderr)
    assert said, f"no end-of-life notice from Material:\n{result.stderr}"
    date = datetime.datetime.strptime(said.group(1), "%B %d, %Y").date()
    assert date.isoformat() in readme(), f"README does not give Material's end-of-life date {date}"
