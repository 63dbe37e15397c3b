"""The shipped nginx configuration (deploy/nginx/gongkai.conf; security.md WEB-01), run by a real
nginx on 127.0.0.1 with a self-signed certificate in front of a stand-in upstream: TLS 1.0 and 1.1
handshakes are refused while 1.2 and 1.3 succeed, HTTP redirects to HTTPS, dotfiles are 404 and
never reach the application, the application sees the scheme and the client address, and nginx
does not announce its version. Skipped without nginx and openssl, except in CI (.ci/run installs
nginx and sets GONGKAI_REQUIRE_NGINX=1)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")

if not (NGINX and OPENSSL):
    if os.environ.get("GONGKAI_REQUIRE_NGINX"):
        raise RuntimeError("GONGKAI_REQUIRE_NGINX is set but nginx or openssl is missing")
    pytest.skip("nginx or openssl not installed: the deployment configuration test is skipped", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Upstream(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def do_GET(self):
        Upstream.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        body = b"upstream ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    work = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    http_port, https_port = _free_port(), _free_port()
    site = (ROOT / "deploy" / "nginx" / "gongkai.conf").read_text(encoding="utf-8")
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream.server_address[1]};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("/etc/ssl/gongkai/fullchain.pem", str(work / "cert.pem")),
        ("/etc/ssl/gongkai/privkey.pem", str(work / "key.pem")),
    ):
        assert old in site, old
        site = site.replace(old, new)
    (work / "gongkai.conf").write_text(site, encoding="utf-8")
    (work / "nginx.conf").write_text(
        f"""daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log {work}/access.log; client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  include {work}/gongkai.conf;
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"nginx did not start: {(work / 'error.log').read_text() if (work / 'error.log').exists() else ''}")
    yield {"http": http_port, "https": https_port}
    process.terminate()
    process.wait(timeout=10)
    upstream.shutdown()


def _handshake(port: int, version_flag: str) -> subprocess.CompletedProcess:
    # SECLEVEL=0 lets this client offer the old protocols, so only the server can refuse them.
    return subprocess.run(
        [OPENSSL, "s_client", "-connect", f"127.0.0.1:{port}", version_flag, "-cipher", "DEFAULT:@SECLEVEL=0"],
        input=b"", capture_output=True, timeout=20, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("flag", ["-tls1", "-tls1_1"])
def test_old_tls_versions_are_refused(proxy, flag):
    result = _handshake(proxy["https"], flag)
    assert result.returncode != 0
    assert b"no peer certificate available" in result.stdout


@pytest.mark.parametrize(("flag", "name"), [("-tls1_2", b"TLSv1.2"), ("-tls1_3", b"TLSv1.3")])
def test_tls_1_2_and_1_3_are_accepted(proxy, flag, name):
    result = _handshake(proxy["https"], flag)
    assert result.returncode == 0, result.stderr
    assert name in result.stdout


def _get(proxy, path: str, *, secure: bool = True) -> http.client.HTTPResponse:
    if secure:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", proxy["https"], context=context, timeout=10)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", proxy["http"], timeout=10)
    conn.request("GET", path, headers={"Host": "gongkai.example.gov.cn", "X-Forwarded-For": "6.6.6.6"})
    response = conn.getresponse()
    response.body = response.read()
    return response


def test_plain_http_is_redirected_to_https(proxy):
    response = _get(proxy, "/catalog/?q=1", secure=False)
    assert response.status == 301
    assert response.getheader("Location") == "https://gongkai.example.gov.cn/catalog/?q=1"


@pytest.mark.parametrize("path", ["/.git/config", "/.env", "/static/.hidden", "/a/.htaccess"])
def test_dotfiles_are_not_found_and_never_reach_the_application(proxy, path):
    Upstream.seen.clear()
    response = _get(proxy, path)
    assert response.status == 404
    assert Upstream.seen == []


def test_the_application_sees_https_and_the_real_client_not_a_forged_one(proxy):
    Upstream.seen.clear()
    response = _get(proxy, "/catalog/")
    assert response.status == 200
    assert response.body == b"upstream ok"
    assert Upstream.seen[-1]["x-forwarded-proto"] == "https"
    assert Upstream.seen[-1]["x-forwarded-for"] == "127.0.0.1"  # the forged 6.6.6.6 is replaced


def test_nginx_does_not_announce_its_version(proxy):
    assert _get(proxy, "/catalog/").getheader("Server") == "nginx"
