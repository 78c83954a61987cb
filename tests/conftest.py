"""Shared fixtures: the project, its knowledge base, and one strict build of the real site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "data", "docs", "hooks", "overrides", "schema")


MKDOCS = str(Path(sys.executable).parent / "mkdocs")  # the command a user types, from the same venv


def user_env() -> dict[str, str]:
    """The environment a user has: no PYTHONPATH. Tests alone silence Material's end-of-life notice
    (NO_MKDOCS_2_WARNING), which `make serve` and `make build` show."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def build_site(project: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of ``project`` into ``site_dir``, exactly as a user runs it."""
    return subprocess.run(
        [MKDOCS, "build", "--strict", "--site-dir", str(site_dir), *extra],
        cwd=project, env=user_env(), capture_output=True, text=True, timeout=900,
    )


def run_check(root: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m kb check --root root ...`, the command behind `make check`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    return subprocess.run([sys.executable, "-m", "kb", "check", "--root", str(root), *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def expected(case: Path) -> list[str]:
    """A corpus case's report (tests/bad/<case>/, tests/bad-branch/branches/<case>/), one line a mistake."""
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def copy_project(target: Path) -> Path:
    """A scratch copy of the project, to build with altered data."""
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, target / name)
    return target


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def kb():
    from kb import load_knowledge

    return load_knowledge(ROOT)


@pytest.fixture(scope="session")
def site_build(tmp_path_factory):
    """One strict build of the real site, shared by every site and browser test."""
    site = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, site)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    return site, result


@pytest.fixture(scope="session")
def site(site_build) -> Path:
    return site_build[0]


@pytest.fixture(scope="session")
def branch_site(tmp_path_factory) -> Path:
    """The example branch built once, as a user builds it: plain `mkdocs build -f …`, no variables."""
    site = tmp_path_factory.mktemp("branch-site")
    result = build_site(ROOT, site, "--config-file", "branches/example/mkdocs.yml")
    assert result.returncode == 0, f"branch build failed:\n{result.stdout}\n{result.stderr}"
    return site


# ---------------------------------------------------------------- browser

@pytest.fixture(scope="session")
def chromium_path() -> str:
    from browser import find_chromium

    path = find_chromium()
    if path is None:
        message = ("NO CHROMIUM FOUND: browser tests need Debian's chromium "
                   "(apt-get install chromium fonts-noto-cjk)")
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — under CI=true a missing browser is a failure")
        pytest.skip("!!! " + message + " — SKIPPING BROWSER TESTS !!!")
    return path


SERVED: list[str] = []  # every request path the test server answered, in order (its access log)


@pytest.fixture(scope="session")
def base_url(site):
    from browser import serve

    with serve(site, SERVED) as url:
        yield url


@pytest.fixture
def served(base_url) -> list[str]:
    """The paths the test server answers from now on."""
    SERVED.clear()
    return SERVED


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    from browser import launch_chromium

    with sync_playwright() as p:
        b = launch_chromium(p, chromium_path)
        yield b
        b.close()


@pytest.fixture
def traffic():
    from browser import Traffic

    return Traffic()


@pytest.fixture
def page(browser, base_url, traffic):
    """A fresh page (own context) on a desk-sized screen whose every request and console error is recorded
    and checked when the test is done."""
    from browser import checked_page

    with checked_page(browser, base_url, traffic) as pg:
        yield pg


@pytest.fixture
def phone(browser, base_url, traffic):
    """The same on a 390×844 touch screen."""
    from browser import PHONE, checked_page

    with checked_page(browser, base_url, traffic, **PHONE) as pg:
        yield pg


@pytest.fixture(scope="session")
def screenshots(project_root) -> Path:
    """Test output (not committed): screenshots for people to look at."""
    out = project_root / "test-output" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out


# ---------------------------------------------------------------- deployment (Debian's nginx, deploy/nginx/)

@pytest.fixture(scope="session")
def nginx_path() -> str:
    from nginx import find_nginx

    path = find_nginx()
    if path is None:
        message = "NO NGINX FOUND: deployment tests need Debian's nginx (apt-get install nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — under CI=true a missing nginx is a failure")
        pytest.skip("!!! " + message + " — SKIPPING DEPLOYMENT TESTS !!!")
    return path


@pytest.fixture(scope="session")
def htpasswd(tmp_path_factory) -> Path:
    """The staff login file made as deploy/nginx/README.md says, with Debian's openssl."""
    from nginx import PASSWORD, USER

    hashed = subprocess.run(["openssl", "passwd", "-apr1", "-stdin"], input=PASSWORD, capture_output=True,
                            text=True, check=True, timeout=30).stdout.strip()
    path = tmp_path_factory.mktemp("auth") / "kb.htpasswd"
    path.write_text(f"{USER}:{hashed}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def nginx_server(nginx_path, site, htpasswd, tmp_path_factory):
    # the branch's server file serves the same build here: what differs is only its values (a second build
    # would cost the suite more than it shows)
    from nginx import running_nginx, sign_on_service

    with sign_on_service() as sso, running_nginx(
            nginx_path, tmp_path_factory.mktemp("nginx"),
            {"site": site, "branch": site, "site-sso": site}, htpasswd, sso) as running:
        yield running
