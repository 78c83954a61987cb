"""Material's navigation, rendered once per folder for the pages that are not in it.

Every page carries the whole navigation (the sidebar, 30 items); at 10,000 entries rendering it was about
a tenth of the build. For a page that is not in the navigation (every generated entry page) nothing in it
is marked as current, so it is the same for every such page in the same folder (``types/x/`` and
``types/y/``; not ``legal/z/``: MkDocs makes each link the shortest path from the page, ``../`` to
``types/`` from the first two, ``../../types/`` from the third). overrides/main.html renders it through
``kb_nav_once``, which makes it anew for the pages in the navigation. A build without the hooks
(``python -m kb pages``) renders it every time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class NavOnce:
    """``{% call kb_nav_once(page, nav) %}…{% endcall %}``: the block's output, made once per folder per
    build for pages not in ``nav``, every time for the pages in it."""

    def __init__(self) -> None:
        self._made: dict[str, str] = {}
        self._in_nav: tuple[object, set[int]] | None = None  # the navigation and its pages' identities

    def __call__(self, page: Any, nav: Any, caller: Callable[[], str]) -> str:
        if self._in_nav is None or self._in_nav[0] is not nav:
            self._in_nav = (nav, {id(p) for p in nav.pages})
        if id(page) in self._in_nav[1]:  # an item of it is marked current: its own
            return caller()
        folder = page.url.rstrip("/").rpartition("/")[0]
        made = self._made.get(folder)
        if made is None:
            made = self._made[folder] = caller()
        return made
