#!/usr/bin/env python3
"""Write out deploy/nginx/lostinnl.conf for one host.

The shipped file is a working configuration for lostinnl.ca on a host laid out
by deploy/ec2/bootstrap.sh. This script replaces its well-known values (domain,
folders, socket, ports, certificate) and fails if one of them is no longer in
the file, so the shipped file and its renderings cannot drift apart silently.
The bootstrap uses it for the real host and the deployment tests use it for a
loopback copy. Standard library only: it runs with the host's python3.

    python3 deploy/nginx/render.py --domain example.org > /etc/nginx/sites-available/lostinnl
"""

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("lostinnl.conf")

SHIPPED_DOMAIN = "lostinnl.ca"
SHIPPED_SERVER_NAME = "server_name lostinnl.ca www.lostinnl.ca;"
SHIPPED_APP_ROOT = "/srv/lostinnl/app"
SHIPPED_STATIC_ROOT = "/srv/lostinnl/app/staticfiles/"
SHIPPED_SOCKET = "/run/lostinnl/gunicorn.sock"
SHIPPED_LOG_DIR = "/var/log/nginx"
SHIPPED_ACME_ROOT = "/var/www/letsencrypt"
SHIPPED_REDIRECT = "return 301 https://$host$request_uri;"
SHIPPED_REAL_IP_HEADER = "real_ip_header X-Forwarded-For;"
# The catch-all HTTPS server that refuses a handshake naming another host.
REJECT_HANDSHAKE = re.compile(r"server \{\n\s*listen 443 ssl default_server;.*?ssl_reject_handshake on;\n\}\n\n", re.S)


class RenderError(ValueError):
    pass


def _replace(text, old, new, *, what):
    if old not in text:
        raise RenderError(f"{what}: {old!r} is not in {TEMPLATE.name} any more; update render.py")
    return text.replace(old, new)


def render(
    text,
    *,
    domain=SHIPPED_DOMAIN,
    server_names=None,
    app_root=SHIPPED_APP_ROOT,
    static_root=None,
    socket=SHIPPED_SOCKET,
    log_dir=SHIPPED_LOG_DIR,
    acme_root=SHIPPED_ACME_ROOT,
    http_listen=None,
    https_listen=None,
    certificate=None,
    certificate_key=None,
    ipv6=True,
    balancer=None,
):
    """Return the site configuration with the given values in place of the shipped ones.

    `balancer`, a list of addresses or networks, is for a host behind a load balancer:
    connections from them may name the client, and the site's HTTPS server answers any
    handshake, since a balancer may connect without naming the host (SNI) and checks
    the host's health by its address. Only the balancer can reach such a host.
    """
    names = server_names or [domain, f"www.{domain}"]
    text = _replace(text, SHIPPED_SERVER_NAME, f"server_name {' '.join(names)};", what="server names")
    text = _replace(
        text,
        f"/etc/letsencrypt/live/{SHIPPED_DOMAIN}/fullchain.pem",
        certificate or f"/etc/letsencrypt/live/{domain}/fullchain.pem",
        what="certificate",
    )
    text = _replace(
        text,
        f"/etc/letsencrypt/live/{SHIPPED_DOMAIN}/privkey.pem",
        certificate_key or f"/etc/letsencrypt/live/{domain}/privkey.pem",
        what="certificate key",
    )
    if static_root:
        text = _replace(text, SHIPPED_STATIC_ROOT, static_root.rstrip("/") + "/", what="static root")
    text = _replace(text, SHIPPED_APP_ROOT, app_root.rstrip("/"), what="application folder")
    text = _replace(text, SHIPPED_SOCKET, socket, what="Gunicorn socket")
    text = _replace(text, SHIPPED_LOG_DIR + "/", log_dir.rstrip("/") + "/", what="log folder")
    text = _replace(text, SHIPPED_ACME_ROOT, acme_root, what="ACME challenge folder")

    if balancer:
        trusted = "".join(f"set_real_ip_from {address};\n" for address in dict.fromkeys(balancer))
        text = _replace(text, SHIPPED_REAL_IP_HEADER, trusted + SHIPPED_REAL_IP_HEADER, what="real IP header")
        text, count = REJECT_HANDSHAKE.subn("", text)
        if count != 1:
            raise RenderError("the ssl_reject_handshake default server: not found")
        text = _replace(text, "listen 443 ssl http2;", "listen 443 ssl http2 default_server;", what="HTTPS listen")
        text = _replace(
            text, "listen [::]:443 ssl http2;", "listen [::]:443 ssl http2 default_server;", what="HTTPS listen"
        )
    if not ipv6:
        text, count = re.subn(r"^\s*listen \[::\]:\d+[^\n]*\n", "", text, flags=re.MULTILINE)
        if not count:
            raise RenderError("IPv6 listen lines: none found")
    if http_listen:
        text, count = re.subn(r"(?m)^(\s*listen )80\b", rf"\g<1>{http_listen}", text)
        if not count:
            raise RenderError("HTTP listen lines: none found")
    if https_listen:
        text, count = re.subn(r"(?m)^(\s*listen )443\b", rf"\g<1>{https_listen}", text)
        if not count:
            raise RenderError("HTTPS listen lines: none found")
        port = https_listen.rsplit(":", 1)[-1]
        if port != "443":
            text = _replace(text, SHIPPED_REDIRECT, f"return 301 https://$host:{port}$request_uri;", what="redirect")
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domain", default=SHIPPED_DOMAIN, help="certificate name and default server names")
    parser.add_argument(
        "--server-name",
        action="append",
        dest="server_names",
        help="a host name to answer (repeatable); default: the domain and www.<domain>",
    )
    parser.add_argument("--app-root", default=SHIPPED_APP_ROOT, help="the checkout, with deploy/ in it")
    parser.add_argument("--static-root", help="STATIC_ROOT, if not <app-root>/staticfiles")
    parser.add_argument("--socket", default=SHIPPED_SOCKET, help="Gunicorn's unix socket")
    parser.add_argument("--log-dir", default=SHIPPED_LOG_DIR)
    parser.add_argument("--acme-root", default=SHIPPED_ACME_ROOT, help="Certbot webroot")
    parser.add_argument("--http-listen", help="address[:port] instead of 80")
    parser.add_argument("--https-listen", help="address[:port] instead of 443")
    parser.add_argument("--certificate", help="instead of Certbot's fullchain.pem for the domain")
    parser.add_argument("--certificate-key", help="instead of Certbot's privkey.pem for the domain")
    parser.add_argument("--no-ipv6", dest="ipv6", action="store_false", help="drop the [::] listen lines")
    parser.add_argument(
        "--balancer",
        action="append",
        metavar="CIDR",
        help="the load balancer's subnet (repeatable): trusted to name the client, any handshake answered",
    )
    options = vars(parser.parse_args(argv))
    try:
        sys.stdout.write(render(TEMPLATE.read_text(), **options))
    except RenderError as error:
        parser.exit(1, f"render.py: {error}\n")


if __name__ == "__main__":
    main()
