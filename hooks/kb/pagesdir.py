"""``python -m kb pages OUT``: the site's sources with nothing left for a hook to do, for an engine that
runs no hooks (Zensical 0.1) or a MkDocs without them.

OUT/docs is the docs folder as the hooks hand it to MkDocs: the hand-written pages with their [[kind:id]]
references made links, every generated page, redirect and side file, and the search index (entries and
group headings; the hand-written pages' sections are the engine's to index). OUT/mkdocs.yml is the site's
configuration with the nav and the search dialog's no-match view, pointing at OUT/docs and at the
project's theme overrides, without the hooks. Every file comes from kb.generate, which the hooks call.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from .generate import SiteBuild, generated_files, hand_written, prepare, write_search
from .knowledge import KnowledgeBase

# MkDocs turns these on whatever mkdocs.yml says
MKDOCS_BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]
# what only the hooks' MkDocs run uses: the folder's config has no hooks and nothing to watch
HOOK_ONLY = ("INHERIT", "hooks", "watch")


class ConfigError(Exception):
    """mkdocs.yml cannot be read."""


def _merge(parent: dict, child: dict) -> dict:
    """``child`` laid over ``parent`` as MkDocs does for INHERIT (mergedeep's REPLACE strategy): mappings
    merge key by key, lists and values of the child replace the parent's."""
    out = dict(parent)
    for key, value in child.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def read_config(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    """mkdocs.yml (safe YAML) with the files it INHERITs laid under it."""
    path = path.resolve()
    if path in seen:
        raise ConfigError(f"{path}: INHERIT loops back to itself")
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path}: not a mapping")
    parent = config.get("INHERIT")
    return _merge(read_config(path.parent / parent, (*seen, path)), config) if parent else config


def markdown_settings(config: dict) -> tuple[list[str], dict]:
    """(extension names, their settings) as MkDocs makes them from ``markdown_extensions``."""
    names, settings = list(MKDOCS_BUILTIN_EXTENSIONS), {}
    for item in config.get("markdown_extensions") or []:
        for name, options in (item.items() if isinstance(item, dict) else [(item, None)]):
            names.append(name)
            if options:
                settings[name] = options
    return list(dict.fromkeys(names)), settings


def prepared(root: Path, config_file: Path, kb: KnowledgeBase | None = None) -> tuple[dict, SiteBuild]:
    """``config_file`` read as MkDocs reads it (with what it INHERITs) and the build prepared from it as
    the hook prepares it (kb.generate.prepare; ``kb``: loaded already); raise ConfigError or BuildStop."""
    config = read_config(config_file)
    here = config_file.resolve().parent
    extensions, mdx_configs = markdown_settings(config)
    build = prepare(root, None if here == root.resolve() else here, extra=dict(config.get("extra") or {}),
                    site_url=config.get("site_url"), use_directory_urls=config.get("use_directory_urls", True),
                    markdown_extensions=extensions, mdx_configs=mdx_configs, repo_url=config.get("repo_url"),
                    edit_uri=config.get("edit_uri"), kb=kb)
    return config, build


def write_pages(root: Path, config_file: Path, out: Path) -> SiteBuild:
    """Write OUT/docs and OUT/mkdocs.yml (see the module); raise ConfigError or BuildStop."""
    config, build = prepared(root, config_file)
    here = config_file.resolve().parent
    docs = here / config.get("docs_dir", "docs")
    made = generated_files(build, lambda src: (docs / src).is_file())
    target = out / "docs"
    for source in sorted(p for p in docs.rglob("*") if p.is_file()):
        src_uri = source.relative_to(docs).as_posix()
        if any(part.startswith(".") for part in source.relative_to(docs).parts):
            continue  # MkDocs leaves hidden files out too
        dest = target / src_uri
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".md":
            dest.write_text(hand_written(build, src_uri, source.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copyfile(source, dest)
    for src_uri, text in made.items():
        dest = target / src_uri
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    write_search(build, target)
    site = {key: value for key, value in config.items() if key not in HOOK_ONLY}
    site["docs_dir"] = "docs"
    theme = dict(site.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((here / theme["custom_dir"]).resolve())
    site["theme"] = theme
    (out / "mkdocs.yml").write_text(
        "# written by `python -m kb pages`: the site without hooks; build it with any engine that reads mkdocs.yml\n"
        + yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return build
