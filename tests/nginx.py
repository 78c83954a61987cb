"""Debian's nginx serving a built site with the shipped configuration (deploy/nginx/), started from a
temporary prefix on free 127.0.0.1 ports: no root needed, nothing of the system's nginx touched."""

from __future__ import annotations

import base64
import getpass
import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from browser import http_server

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "nginx"
# where the shipped files point, as a Debian site owner finds them; the tests put their own paths there
SHIPPED = {"site": "/srv/kb/site", "branch": "/srv/kb/branches/example/site", "htpasswd": "/etc/nginx/kb.htpasswd",
           "snippet": "/etc/nginx/snippets/kb-server.conf", "sso": "http://127.0.0.1:9000/check"}
SSO_COOKIE = "kb_sso"
USER, PASSWORD = "agent01", "correct horse 电池"  # the test's staff login (the htpasswd fixture writes it)


def basic(user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    """The Authorization header of an HTTP basic login."""
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


LOGIN = basic()  # the stand-in sign-on service lets in a request carrying this cookie


def find_nginx() -> str | None:
    for candidate in (os.environ.get("NGINX"), "/usr/sbin/nginx", shutil.which("nginx")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def owner_values(text: str, values: dict[str, str]) -> str:
    """What a site owner does to a shipped server file: the values at its top replaced (each must be there)."""
    for old, new in values.items():
        assert old in text, f"{old!r} is not in the shipped file"
        text = text.replace(old, new)
    return text


@dataclass
class Nginx:
    prefix: Path
    ports: dict[str, int]  # server file name (site, branch, site-sso) -> port

    def url(self, server: str = "site") -> str:
        return f"http://127.0.0.1:{self.ports[server]}/"

    def log(self, name: str) -> Path:
        return self.prefix / "logs" / name


@contextmanager
def running_nginx(nginx: str, prefix: Path, roots: dict[str, Path], htpasswd: Path, sso_url: str = "",
                  snippet: Path = DEPLOY / "kb-server.conf"):
    """nginx in the foreground (``daemon off``) with kb-http.conf and the server files named in ``roots``
    (site.conf, branch.conf, site-sso.conf → the built site each serves), each on its own free port;
    ``snippet`` stands for kb-server.conf (the benchmark's copy without gzip_static)."""
    (prefix / "logs").mkdir(parents=True)
    (prefix / "temp").mkdir()
    ports = {name: free_port() for name in roots}
    servers = []
    for name, root in roots.items():
        text = (DEPLOY / f"{name}.conf").read_text(encoding="utf-8")
        shipped_root = SHIPPED["branch"] if name == "branch" else SHIPPED["site"]
        logs = "kb-example-" if name == "branch" else "kb-"
        values = {"listen 8081;" if name == "branch" else "listen 80;": f"listen 127.0.0.1:{ports[name]};",
                  shipped_root: str(root), SHIPPED["snippet"]: str(snippet),
                  f"/var/log/nginx/{logs}": str(prefix / "logs" / f"{name}-")}
        values.update({SHIPPED["sso"]: sso_url} if name == "site-sso" else {SHIPPED["htpasswd"]: str(htpasswd)})
        (prefix / f"{name}.conf").write_text(owner_values(text, values), encoding="utf-8")
        servers.append(f"    include {prefix / name}.conf;")
    temp = prefix / "temp"
    # run as root (CI), the workers would drop to nobody, who cannot read a private temporary folder
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(f"""{user}daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log stderr;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    access_log off;
    include {DEPLOY / "kb-http.conf"};
{chr(10).join(servers)}
}}
""", encoding="utf-8")
    command = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, f"nginx -t refused the configuration:\n{check.stderr}"
    # its messages to a file: a pipe nobody reads fills up (a wrong password is one line) and stops nginx
    errors = prefix / "logs" / "error.log"
    with errors.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        for port in ports.values():
            _wait_for(port, process, errors)
        yield Nginx(prefix, ports)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(port: int, process: subprocess.Popen, errors: Path) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise AssertionError(f"nginx stopped: {errors.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nginx is not listening on {port}")


class _SignOn(BaseHTTPRequestHandler):
    """A stand-in for the company's sign-on check: 204 when the request carries the session cookie,
    401 otherwise (what auth_request expects of the real one)."""

    def do_GET(self) -> None:
        allowed = any(part.strip().startswith(SSO_COOKIE + "=") for part in (self.headers.get("Cookie") or "").split(";"))
        self.send_response(204 if allowed else 401)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def sign_on_service():
    """The stand-in on 127.0.0.1 and a free port; yields the URL nginx asks."""
    with http_server(_SignOn) as port:
        yield f"http://127.0.0.1:{port}/check"
