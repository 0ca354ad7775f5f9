#!/usr/bin/env bash
# LostInNL: prepares a fresh Ubuntu host (22.04 or 24.04) to serve the site, from
# packages to HTTPS. Safe to run again: every step checks what is already there,
# an existing environment file is never overwritten, and code is only moved by
# deploy/ec2/release.sh.
#
#   sudo DOMAIN=lostinnl.ca CERTBOT_EMAIL=ops@lostinnl.ca \
#        REPO_URL=https://github.com/<owner>/lostinnl.git bash bootstrap.sh
#
# Optional: BRANCH (main), EXTRA_DOMAINS ("www.lostinnl.ca"), SKIP_CERTBOT=1
# (HTTP only until DNS points here), SKIP_CLOUDWATCH=1.
# Values from the CloudFormation stack (bucket, region, database host) are read
# from /etc/lostinnl/stack.env when the instance's user data wrote it.
set -euo pipefail

DOMAIN=${DOMAIN:?set DOMAIN to the host name of the site, e.g. lostinnl.ca}
CERTBOT_EMAIL=${CERTBOT_EMAIL:-}
REPO_URL=${REPO_URL:-}
BRANCH=${BRANCH:-main}
EXTRA_DOMAINS=${EXTRA_DOMAINS:-}
SKIP_CERTBOT=${SKIP_CERTBOT:-0}
SKIP_CLOUDWATCH=${SKIP_CLOUDWATCH:-0}

APP_USER=lostinnl
APP_HOME=/srv/lostinnl
APP_DIR=$APP_HOME/app
VENV=$APP_HOME/venv
ENV_DIR=/etc/lostinnl
ENV_FILE=$ENV_DIR/lostinnl.env
STACK_ENV=$ENV_DIR/stack.env
ACME_ROOT=/var/www/letsencrypt
SITE=/etc/nginx/sites-available/lostinnl
CWAGENT_CONFIG=/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }
as_app() { runuser -u "$APP_USER" -- "$@"; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo)"
grep -q '^ID=ubuntu' /etc/os-release || echo "bootstrap: not Ubuntu; continuing, but only Ubuntu is tested" >&2

log "System packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
    ca-certificates curl git rsync logrotate \
    python3 python3-venv python3-dev build-essential pkg-config libmariadb-dev mariadb-client gettext \
    nginx certbot redis-server

log "System user $APP_USER"
if ! id -u "$APP_USER" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$APP_HOME" --shell /usr/sbin/nologin "$APP_USER"
fi
install -d -o "$APP_USER" -g "$APP_USER" -m 0755 "$APP_HOME"
install -d -o "$APP_USER" -g "$APP_USER" -m 0750 /var/log/lostinnl /var/lib/lostinnl
install -d -o root -g root -m 0755 "$ENV_DIR" "$ACME_ROOT"

log "Code in $APP_DIR"
if [ ! -d "$APP_DIR/.git" ]; then
    [ -n "$REPO_URL" ] || die "set REPO_URL to clone the repository"
    as_app git clone --branch "$BRANCH" "$REPO_URL" "$APP_DIR"
else
    echo "already checked out at $(as_app git -C "$APP_DIR" rev-parse --short HEAD); release.sh moves it"
fi

log "Virtual environment in $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    as_app python3 -m venv "$VENV"
fi
as_app "$VENV/bin/pip" install --quiet --upgrade pip
as_app "$VENV/bin/pip" install --quiet --requirement "$APP_DIR/requirements.txt"

log "Environment file $ENV_FILE"
if [ ! -f "$ENV_FILE" ]; then
    # Non-secret values the CloudFormation stack knows (bucket, region, database host).
    BUCKET="" REGION="" DB_HOST="" DB_NAME="lostinnl" DB_USER="lostinnl"
    if [ -f "$STACK_ENV" ]; then
        # shellcheck source=/dev/null
        . "$STACK_ENV"
    fi
    if [ -n "$DB_HOST" ]; then
        database_url="mysql://$DB_USER@$DB_HOST:3306/$DB_NAME"
    else
        database_url="sqlite:////var/lib/lostinnl/db.sqlite3"
    fi
    allowed_hosts=$DOMAIN
    origins="https://$DOMAIN"
    for name in $EXTRA_DOMAINS; do
        allowed_hosts="$allowed_hosts,$name"
        origins="$origins,https://$name"
    done
    secret_key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
    (
        umask 077
        cat >"$ENV_FILE" <<EOF
# LostInNL production settings, read by systemd (lostinnl.service) and lostinnl-manage.
# One KEY=value a line, no quotes. Root only: it holds secrets.
SECRET_KEY=$secret_key
ALLOWED_HOSTS=$allowed_hosts
CSRF_TRUSTED_ORIGINS=$origins
# TLS in front (Nginx + Certbot): secure cookies, HTTPS redirect, HSTS.
HTTPS=true
SITE_URL=https://$DOMAIN
# Rate-limit counters shared by every Gunicorn worker (the local Redis, loopback only).
CACHE_URL=redis://127.0.0.1:6379/1
# The task queue for e-mail and background jobs (lostinnl-worker, lostinnl-beat), on the same Redis.
CELERY_BROKER_URL=redis://127.0.0.1:6379/0
DATABASE_URL=$database_url
# The RDS password, encrypted with the stack's KMS key (see the README):
DATABASE_PASSWORD_KMS=
AWS_STORAGE_BUCKET_NAME=$BUCKET
AWS_S3_REGION_NAME=$REGION
AWS_DEFAULT_REGION=${REGION:-ca-central-1}
MEDIA_ROOT=/var/lib/lostinnl/media
EMAIL_URL=consolemail://
DEFAULT_FROM_EMAIL=LostInNL <no-reply@$DOMAIN>
MANAGERS=managers@$DOMAIN
EOF
    )
    echo "wrote $ENV_FILE: fill in DATABASE_PASSWORD_KMS, EMAIL_URL and MANAGERS, then run this again"
fi
chown root:root "$ENV_FILE"
chmod 0600 "$ENV_FILE"

log "systemd units and the manage.py wrapper"
install -m 0644 "$APP_DIR"/deploy/systemd/lostinnl.socket "$APP_DIR"/deploy/systemd/lostinnl.service \
    "$APP_DIR"/deploy/systemd/lostinnl-purge.service "$APP_DIR"/deploy/systemd/lostinnl-purge.timer \
    "$APP_DIR"/deploy/systemd/lostinnl-worker.service "$APP_DIR"/deploy/systemd/lostinnl-beat.service \
    /etc/systemd/system/
install -m 0755 "$APP_DIR/deploy/ec2/lostinnl-manage" /usr/local/bin/lostinnl-manage
install -m 0644 "$APP_DIR/deploy/logrotate/lostinnl" /etc/logrotate.d/lostinnl
systemctl daemon-reload

log "Database migrations, translations and static files"
lostinnl-manage migrate --noinput
lostinnl-manage compilemessages --verbosity 0
lostinnl-manage collectstatic --noinput --verbosity 0

log "Application service"
systemctl enable --now lostinnl.socket lostinnl-purge.timer
systemctl enable lostinnl.service
systemctl restart lostinnl.service
systemctl enable lostinnl-worker.service lostinnl-beat.service
systemctl restart lostinnl-worker.service lostinnl-beat.service

if [ "$SKIP_CLOUDWATCH" != 1 ]; then
    log "CloudWatch agent"
    if ! command -v amazon-cloudwatch-agent-ctl >/dev/null; then
        arch=$(dpkg --print-architecture)
        deb=$(mktemp --suffix=.deb)
        curl -fsSL -o "$deb" \
            "https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/$arch/latest/amazon-cloudwatch-agent.deb"
        dpkg -i "$deb"
        rm -f "$deb"
    fi
    install -D -m 0644 "$APP_DIR/deploy/aws/cloudwatch-agent.json" "$CWAGENT_CONFIG"
    amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c "file:$CWAGENT_CONFIG"
fi

log "Nginx"
rm -f /etc/nginx/sites-enabled/default
render_args=(--domain "$DOMAIN" --server-name "$DOMAIN")
certbot_domains=(-d "$DOMAIN")
for name in $EXTRA_DOMAINS; do
    render_args+=(--server-name "$name")
    certbot_domains+=(-d "$name")
done
if [ ! -f "/etc/letsencrypt/live/$DOMAIN/fullchain.pem" ]; then
    # Until a certificate exists, answer Certbot's challenge only.
    cat >"$SITE" <<EOF
# LostInNL before its certificate: Certbot's challenge only. bootstrap.sh replaces it.
server {
    listen 80;
    listen [::]:80;
    server_name $DOMAIN $EXTRA_DOMAINS;
    location ^~ /.well-known/acme-challenge/ { root $ACME_ROOT; }
    location / { return 503; }
}
EOF
    ln -sf "$SITE" /etc/nginx/sites-enabled/lostinnl
    nginx -t
    systemctl reload-or-restart nginx

    if [ "$SKIP_CERTBOT" = 1 ]; then
        echo "SKIP_CERTBOT=1: serving the challenge only; run again without it once DNS points here"
        exit 0
    fi
    [ -n "$CERTBOT_EMAIL" ] || die "set CERTBOT_EMAIL for Let's Encrypt's expiry notices"
    log "Certificate for ${certbot_domains[*]}"
    certbot certonly --webroot --webroot-path "$ACME_ROOT" "${certbot_domains[@]}" \
        --email "$CERTBOT_EMAIL" --agree-tos --no-eff-email --non-interactive \
        --deploy-hook "systemctl reload nginx" ||
        die "Certbot failed: does DNS for $DOMAIN point at this host, and is port 80 open?"
fi
python3 "$APP_DIR/deploy/nginx/render.py" "${render_args[@]}" >"$SITE.new"
mv "$SITE.new" "$SITE"
ln -sf "$SITE" /etc/nginx/sites-enabled/lostinnl
nginx -t
systemctl enable nginx
systemctl reload-or-restart nginx
# Renewal: the certbot package's timer; its deploy hook reloads Nginx.
systemctl enable --now certbot.timer 2>/dev/null || true

log "Health check"
for _ in $(seq 1 20); do
    if curl -fsS --max-time 5 --resolve "$DOMAIN:443:127.0.0.1" "https://$DOMAIN/healthz"; then
        echo
        echo "LostInNL answers on https://$DOMAIN/"
        exit 0
    fi
    sleep 3
done
die "https://$DOMAIN/healthz does not answer; see journalctl -u lostinnl and /var/log/lostinnl/"
