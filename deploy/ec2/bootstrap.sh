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
# Values from the CloudFormation stack (bucket, region, database host, role) are read
# from /etc/lostinnl/stack.env when the instance's user data wrote it.
#
# ROLE (from stack.env) says what this host is:
#   single  the one host of the `single` topology: web, worker, periodic jobs, a local
#           Redis, a Let's Encrypt certificate (the default);
#   web     one of the equal web hosts of the `scaled` topology, behind the load balancer:
#           Gunicorn and Nginx only, the shared ElastiCache Redis, MULTI_HOST=true, a
#           self-signed certificate for the balancer's connection, no periodic jobs;
#   worker  the one worker host of `scaled`: Celery worker and beat, the periodic jobs,
#           and release.sh, which migrates once for the fleet.
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

# What the stack says about this host; without a stack, one host with SQLite.
ROLE=single BUCKET="" REGION="" DB_HOST="" DB_NAME="lostinnl" DB_USER="lostinnl" REDIS_HOST=""
BALANCER_CIDR="" RELEASE_PARAMETER="" SECRET_KEY_PARAMETER="" DATABASE_PASSWORD_PARAMETER=""
if [ -f "$STACK_ENV" ]; then
    # shellcheck source=/dev/null
    . "$STACK_ENV"
fi
case "$ROLE" in
    single | web | worker) ;;
    *) die "ROLE=$ROLE in $STACK_ENV: expected single, web or worker" ;;
esac
if [ "$ROLE" != single ]; then
    if [ -z "$REDIS_HOST" ] || [ -z "$DB_HOST" ] || [ -z "$BUCKET" ]; then
        die "ROLE=$ROLE needs REDIS_HOST, DB_HOST and BUCKET in $STACK_ENV: no host of a fleet keeps state"
    fi
fi
fleet() { "$VENV/bin/python" "$APP_DIR/deploy/ec2/fleet.py" "$@"; }
private_ip=""
if [ "$ROLE" = web ]; then
    # The balancer's health check names the host by its private address (IMDSv2).
    token=$(curl -fsS -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token)
    private_ip=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/local-ipv4)
    [ -n "$BALANCER_CIDR" ] || die "ROLE=web needs BALANCER_CIDR (the balancer's subnets) in $STACK_ENV"
fi

log "System packages"
packages=(ca-certificates curl git rsync logrotate openssl
    python3 python3-venv python3-dev build-essential pkg-config libmariadb-dev mariadb-client gettext)
case "$ROLE" in
    single) packages+=(nginx certbot redis-server) ;;  # Redis on loopback: this host is the whole site
    web) packages+=(nginx) ;;                          # Redis is ElastiCache, TLS is the balancer's
    worker) ;;
esac
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"

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
if [ -n "$RELEASE_PARAMETER" ]; then
    # A host of the fleet runs the release the worker recorded (release.sh), never "latest".
    release=$(fleet get-parameter "$RELEASE_PARAMETER")
    log "Release $release (from $RELEASE_PARAMETER)"
    as_app git -C "$APP_DIR" fetch --quiet --tags origin
    as_app git -C "$APP_DIR" checkout --quiet --detach "$release"
    as_app "$VENV/bin/pip" install --quiet --requirement "$APP_DIR/requirements.txt"
fi

log "Environment file $ENV_FILE"
if [ ! -f "$ENV_FILE" ]; then
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
    if [ "$ROLE" = web ]; then
        allowed_hosts="$allowed_hosts,$private_ip"
    fi
    # Every host of a fleet signs sessions with the same key, and all reach the database.
    if [ -n "$SECRET_KEY_PARAMETER" ]; then
        secret_key=$(fleet get-parameter "$SECRET_KEY_PARAMETER")
    else
        secret_key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
    fi
    password_kms=""
    if [ -n "$DATABASE_PASSWORD_PARAMETER" ]; then
        password_kms=$(fleet get-parameter "$DATABASE_PASSWORD_PARAMETER")
    fi
    if [ "$ROLE" = single ]; then
        multi_host=false
        cache_url=redis://127.0.0.1:6379/1
        broker_url=redis://127.0.0.1:6379/0
    else
        # ElastiCache, encrypted in transit: the same counters, cache and queue for every host.
        multi_host=true
        cache_url="rediss://$REDIS_HOST:6379/1"
        broker_url="rediss://$REDIS_HOST:6379/0?ssl_cert_reqs=required"
    fi
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
# Rate-limit counters and the page cache, shared by every Gunicorn worker (and every host).
CACHE_URL=$cache_url
# The task queue for e-mail and background jobs (lostinnl-worker, lostinnl-beat), on the same Redis.
CELERY_BROKER_URL=$broker_url
# The worker reports the queue's health to CloudWatch for the stack's QueuedEmailAlarm.
CLOUDWATCH_METRICS=true
# true on the hosts of the scaled topology: start-up refuses any state kept on one host.
MULTI_HOST=$multi_host
DATABASE_URL=$database_url
# The RDS password, encrypted with the stack's KMS key (see the README):
DATABASE_PASSWORD_KMS=$password_kms
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
# Under a database lock: hosts that start together migrate one after the other.
lostinnl-manage migrate_once
lostinnl-manage compilemessages --verbosity 0
lostinnl-manage collectstatic --noinput --verbosity 0

log "Services for ROLE=$ROLE"
web_units=(lostinnl.socket lostinnl.service)
# Periodic jobs (the purge timer, Celery beat) run on one host of the site only.
once_units=(lostinnl-purge.timer lostinnl-worker.service lostinnl-beat.service)
case "$ROLE" in
    single) enabled=("${web_units[@]}" "${once_units[@]}") disabled=() ;;
    web) enabled=("${web_units[@]}") disabled=("${once_units[@]}") ;;
    worker) enabled=("${once_units[@]}") disabled=("${web_units[@]}") ;;
esac
if [ "${#disabled[@]}" -gt 0 ]; then
    systemctl disable --now "${disabled[@]}"
fi
systemctl enable "${enabled[@]}"
for unit in "${enabled[@]}"; do
    case "$unit" in
        *.timer | *.socket) systemctl start "$unit" ;;
        *) systemctl restart "$unit" ;;
    esac
done

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

if [ "$ROLE" = worker ]; then
    log "Health check"
    lostinnl-manage healthcheck || die "the worker cannot reach the database or the bucket"
    echo "LostInNL worker ready: Celery worker and beat, periodic jobs; run release.sh here"
    exit 0
fi

log "Nginx"
rm -f /etc/nginx/sites-enabled/default
render_args=(--domain "$DOMAIN" --server-name "$DOMAIN")
certbot_domains=(-d "$DOMAIN")
for name in $EXTRA_DOMAINS; do
    render_args+=(--server-name "$name")
    certbot_domains+=(-d "$name")
done
curl_trust=()
if [ "$ROLE" = web ]; then
    # The balancer holds the site's certificate (ACM) and does not check the host's:
    # a self-signed one encrypts the hop inside the VPC.
    tls=$ENV_DIR/tls
    install -d -m 0750 "$tls"
    if [ ! -f "$tls/cert.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$DOMAIN" \
            -addext "subjectAltName=DNS:$DOMAIN" -keyout "$tls/key.pem" -out "$tls/cert.pem" 2>/dev/null
    fi
    render_args+=(--server-name "$private_ip" --certificate "$tls/cert.pem" --certificate-key "$tls/key.pem")
    for cidr in $BALANCER_CIDR; do
        render_args+=(--balancer "$cidr")
    done
    curl_trust=(--cacert "$tls/cert.pem")
elif [ ! -f "/etc/letsencrypt/live/$DOMAIN/fullchain.pem" ]; then
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
if [ "$ROLE" = single ]; then
    # Renewal: the certbot package's timer; its deploy hook reloads Nginx.
    systemctl enable --now certbot.timer 2>/dev/null || true
fi

log "Health check"
for _ in $(seq 1 20); do
    if curl -fsS --max-time 5 "${curl_trust[@]}" --resolve "$DOMAIN:443:127.0.0.1" "https://$DOMAIN/healthz"; then
        echo
        echo "LostInNL answers on https://$DOMAIN/"
        exit 0
    fi
    sleep 3
done
die "https://$DOMAIN/healthz does not answer; see journalctl -u lostinnl and /var/log/lostinnl/"
