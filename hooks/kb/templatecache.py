"""Compiled Jinja templates kept between builds (Jinja's own FileSystemBytecodeCache).

Compiling Material's templates and ours took about 0.7 s of every build and of every `mkdocs serve`
rebuild, always with the same result. Jinja checks each template's source against the cached code, so
an edited template is compiled again. What the source does not show, how the environment compiles (its
options, the Jinja, MkDocs and Material versions), is part of each cache file's name.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache

from .diskcache import CACHE

JINJA_CACHE = CACHE / "jinja"  # Material's plugins cache in the project's .cache/ too
_COMPILE_OPTIONS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                    "comment_start_string", "comment_end_string", "line_statement_prefix",
                    "line_comment_prefix", "trim_blocks", "lstrip_blocks", "newline_sequence",
                    "keep_trailing_newline", "autoescape", "optimized", "extensions")


def use_cache(env: Environment, folder: Path = JINJA_CACHE) -> None:
    """Give ``env`` a bytecode cache in ``folder``, its files named by how ``env`` compiles."""
    options = [_describe(getattr(env, name, None)) for name in _COMPILE_OPTIONS]
    options += [version(p) for p in ("jinja2", "mkdocs", "mkdocs-material")]
    signature = hashlib.sha1("\0".join(options).encode()).hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder), f"{signature}-%s.cache")


def _describe(value: object) -> str:
    """The same text in every process (no object addresses): extensions by name, functions by name."""
    if isinstance(value, dict):
        return repr(sorted(value))
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return repr(value)
