"""The stack and its end of life: the locks are pinned, hashed and installed as locked; Material announces its
end of life at every build (only the tests silence it) and the README gives that date; ProperDocs, the
fallback, builds the same site."""

from __future__ import annotations

import datetime
import gzip
import importlib.metadata
import re
import subprocess
from pathlib import Path

from browser import pinned_axe_version
from conftest import MKDOCS, ROOT, user_env

NOTICE = re.compile(r"Material for MkDocs reaches end of life on (\w+ \d{1,2}, \d{4})")


LOCKS = ("requirements.txt", "requirements-dev.txt")
# a requirement of a lock: name==version, then one --hash=sha256:… (64 hex digits) per file of that release
LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})+)\s*$", re.M)


def canonical(name: str) -> str:
    """A distribution's name as PyPI compares them (PEP 503): Jinja2, jinja2 and pyyaml_env_tag vs pyyaml-env-tag."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(file: str) -> dict[str, str]:
    """canonical name -> version of every requirement of a lock file."""
    return {canonical(m.group(1)): m.group(2) for m in LOCKED.finditer((ROOT / file).read_text(encoding="utf-8"))}


def pins() -> dict[str, str]:
    """name (lowercase) -> version, from requirements.txt."""
    return locked("requirements.txt")


def test_every_requirement_is_pinned_with_hashes():
    """Each line of a lock is a comment, or part of a name==version requirement with its sha256 hashes
    (pip's --require-hashes refuses anything else, and so would make)."""
    for file in LOCKS:
        text = (ROOT / file).read_text(encoding="utf-8")
        rest = LOCKED.sub("", text)
        stray = [line for line in rest.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert not stray, f"{file}: lines that are not a pinned, hashed requirement: {stray}"
        assert len(locked(file)) >= 10, f"{file}: no locked requirement found"


def test_the_locks_agree_and_hold_the_stack_the_issue_names():
    runtime, dev = locked("requirements.txt"), locked("requirements-dev.txt")
    shared = {name: (runtime[name], dev[name]) for name in runtime.keys() & dev.keys()}
    assert shared, "the dev lock shares no package with the runtime lock: is it still constrained by it?"
    assert all(a == b for a, b in shared.values()), f"versions differ between the locks: {shared}"
    assert runtime["mkdocs"] == "1.6.1", "MkDocs 2.0 runs no hooks and not Material: stay on the last 1.x"
    assert re.fullmatch(r"9\.8\.([2-9]|\d\d+)", runtime["mkdocs-material"]), runtime["mkdocs-material"]
    assert "pypinyin" in runtime and "properdocs" in dev and "properdocs" not in runtime


def test_installed_versions_are_the_locked_ones():
    """What this environment runs is what the locks say: a package upgraded or downgraded by hand (or a
    lock edited without `make` reinstalling) fails here."""
    wrong = {}
    for file in LOCKS:
        for name, version in locked(file).items():
            try:
                installed = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                installed = None
            if installed != version:
                wrong[name] = f"{file} locks {version}, installed: {installed}"
    assert not wrong, "\n".join(f"{name}: {why}" for name, why in sorted(wrong.items()))


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_names_the_pinned_versions_and_the_fallback():
    text = readme()
    for name in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2", "pydantic", "pyyaml", "pypinyin"):
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


# ---------------------------------------------------------------- the fallback engine

PROPERDOCS = str(Path(MKDOCS).with_name("properdocs"))  # from the dev lock, in the same venv


def generator_line(engine: str) -> bytes:
    """The generator meta tag Material writes into every page's head, naming the engine and itself."""
    material = importlib.metadata.version("mkdocs-material")
    return f'<meta name="generator" content="{engine}, mkdocs-material-{material}">'.encode()


def test_properdocs_builds_the_same_site_but_for_the_generator_line(site_build, tmp_path):
    """The fallback is tested, not promised: ProperDocs (a fork of MkDocs 1.x) builds the project as it
    is (the hook's `mkdocs.*` imports are its own modules under that name) into a site whose every file is
    byte for byte the one `mkdocs build` writes, except one line of each HTML page: the generator tag."""
    site, _ = site_build
    result = subprocess.run([PROPERDOCS, "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(tmp_path)],
                            cwd=ROOT, env=user_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    ours = generator_line(f"mkdocs-{importlib.metadata.version('mkdocs')}")
    theirs = generator_line(f"mkdocs-ProperDocs {importlib.metadata.version('properdocs')}")
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()), "not the same files"
    pages = 0
    for rel in files:
        a, b = (site / rel).read_bytes(), (tmp_path / rel).read_bytes()
        if rel.suffix == ".gz":  # the build's precompressed copy (kb.precompress): compared as what it holds
            a, b, rel = gzip.decompress(a), gzip.decompress(b), rel.with_suffix("")
        if rel.suffix == ".html" and a.count(ours) == 1:
            pages += 1
            a = a.replace(ours, theirs)
        assert a == b, f"{rel}: differs beyond the generator line"
    assert pages > 50, "the generator tag was not found once in each page: nothing was compared"
