"""The Content-Security-Policy of one build, for the web server to send (deploy/nginx/).

Scripts run only from the site itself and from the inline scripts this build's pages hold (Material's
small bootstrap scripts, the redirect pages'), each allowed by its SHA-256 hash: no 'unsafe-inline' for
scripts, and the policy follows the build, because the build writes it (``CSP_FILE`` in the site, a
dotfile the server refuses to serve) as the nginx directive that deploy/nginx/kb-server.conf includes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

CSP_FILE = ".kb-csp.conf"  # in the built site; nginx includes it, and refuses to serve any dotfile
# an inline script: no src attribute; only types a browser runs (a JSON data block is no script)
_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"""\ssrc\s*=""", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.I)
_RUN_TYPES = {"", "text/javascript", "application/javascript", "module"}

# The rest as strict as the site allows: styles from the site's files alone (its pages hold no <style> or
# style attribute; scripts set styles through the DOM, which the policy allows); images may be data: URIs
# (Material's stylesheet draws its icons with them); nothing may frame the site; forms post only to the
# site; no plugin content.
POLICY = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self'; "
          "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
          "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def inline_scripts(html: str) -> list[str]:
    """The text of each inline script the browser would run, exactly as the page holds it."""
    found = []
    for m in _SCRIPT.finditer(html):
        attrs = m.group("attrs")
        kind = _TYPE.search(attrs)
        if _SRC.search(attrs) or (kind and kind.group("type").lower() not in _RUN_TYPES):
            continue
        found.append(m.group("body"))
    return found


def script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(site: Path) -> str:
    """The policy for every page in ``site``: one hash per distinct inline script, sorted (the same
    policy for the same pages)."""
    hashes = {script_hash(s) for page in site.rglob("*.html") for s in inline_scripts(page.read_text(encoding="utf-8"))}
    return POLICY.format(hashes="".join(" " + h for h in sorted(hashes)))


def write_policy(site: Path) -> Path:
    """``CSP_FILE`` in ``site``: the nginx directive sending this build's policy on every response."""
    target = site / CSP_FILE
    target.write_text("# Written by the build (hooks/kb/csp.py) for deploy/nginx/kb-server.conf: this build's\n"
                      "# Content-Security-Policy, with a hash of each inline script its pages hold.\n"
                      f'add_header Content-Security-Policy "{policy(site)}" always;\n', encoding="utf-8")
    return target
