"""A tiny static page that sends an old address (a renamed id) to the new one, keeping the #anchor."""

from __future__ import annotations

import posixpath

from jinja2 import Environment, FileSystemLoader

from .render import TEMPLATES


def redirect_page(old_path: str, target_url: str) -> str:
    """``old_path`` like ``types/old-id/index.html``; ``target_url`` site-relative like ``types/new-id/``."""
    relative = posixpath.relpath(target_url, posixpath.dirname(old_path)) + ("/" if target_url.endswith("/") else "")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    return env.get_template("redirect.html.j2").render(target=relative)
