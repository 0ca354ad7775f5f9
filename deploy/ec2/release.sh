#!/usr/bin/env bash
# LostInNL: deploys a new version without downtime, and puts the previous one back
# if the new one fails its checks (exit non-zero).
#
#   sudo bash /srv/lostinnl/app/deploy/ec2/release.sh            # latest origin/main
#   sudo bash /srv/lostinnl/app/deploy/ec2/release.sh v1.4.2     # a tag or commit
#
# On the single host (ROLE=single in /etc/lostinnl/stack.env, the default): pull,
# install, migrate, collectstatic, graceful reload (Gunicorn HUP), health check.
#
# In the scaled topology, run it on the worker host (ROLE=worker): it migrates once
# for the whole fleet, before any web host runs the new code, moves the worker to it,
# records the revision in the SSM parameter every new web host checks out
# (RELEASE_PARAMETER), then replaces the web hosts one by one through an Auto Scaling
# instance refresh: a new host is launched, bootstrapped, and must pass the load
# balancer's /healthz check before an old one is taken away. If the refresh fails, the
# previous revision is recorded again and the web hosts are refreshed back to it.
#
# Migrations are not reversed on a roll-back, and old hosts serve the new schema
# while the new ones start: write them so that the previous release still runs
# against the new schema (add first, remove a release later).
set -euo pipefail

APP_USER=lostinnl
APP_DIR=/srv/lostinnl/app
VENV=/srv/lostinnl/venv
ENV_FILE=/etc/lostinnl/lostinnl.env
STACK_ENV=/etc/lostinnl/stack.env
BRANCH=${BRANCH:-main}
TARGET=${1:-origin/$BRANCH}
HEALTH_TRIES=${HEALTH_TRIES:-20}

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'release: %s\n' "$*" >&2; exit 1; }
as_app() { runuser -u "$APP_USER" -- "$@"; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo)"
[ -d "$APP_DIR/.git" ] || die "$APP_DIR is not a checkout; run bootstrap.sh first"

# What the CloudFormation stack says about this host (ROLE, WEB_GROUP, RELEASE_PARAMETER).
ROLE=single WEB_GROUP="" RELEASE_PARAMETER=""
if [ -f "$STACK_ENV" ]; then
    # shellcheck source=/dev/null
    . "$STACK_ENV"
fi
[ "$ROLE" != web ] || die "this is a web host of the scaled topology: run release.sh on the worker host"
fleet() { "$VENV/bin/python" "$APP_DIR/deploy/ec2/fleet.py" "$@"; }

# The first allowed host is the site's name; the check goes through Nginx on this host.
DOMAIN=${DOMAIN:-$(sed -n 's/^ALLOWED_HOSTS=\([^,]*\).*/\1/p' "$ENV_FILE")}
[ -n "$DOMAIN" ] || die "no ALLOWED_HOSTS in $ENV_FILE; set DOMAIN"

exec 9>/run/lostinnl-release.lock
flock --nonblock 9 || die "another release is running"

healthy() {
    local passes=0
    for _ in $(seq 1 "$HEALTH_TRIES"); do
        if systemctl is-active --quiet lostinnl.service &&
            curl -fsS --max-time 5 -o /dev/null --resolve "$DOMAIN:443:127.0.0.1" "https://$DOMAIN/healthz"; then
            passes=$((passes + 1))
            # Several answers in a row, so the new workers are the ones answering.
            [ "$passes" -ge 3 ] && return 0
        else
            passes=0
        fi
        sleep 2
    done
    return 1
}

# Called as `install_and_reload || rollback`, where bash ignores `set -e`: each
# step returns on failure itself.
install_and_reload() {
    as_app "$VENV/bin/pip" install --quiet --requirement "$APP_DIR/requirements.txt" || return 1
    # Under a database lock: never two hosts migrating at once.
    lostinnl-manage migrate_once || return 1
    lostinnl-manage compilemessages --verbosity 0 || return 1
    # The units may have changed with the code.
    install -m 0644 "$APP_DIR"/deploy/systemd/lostinnl.socket "$APP_DIR"/deploy/systemd/lostinnl.service \
        "$APP_DIR"/deploy/systemd/lostinnl-purge.service "$APP_DIR"/deploy/systemd/lostinnl-purge.timer \
        "$APP_DIR"/deploy/systemd/lostinnl-worker.service "$APP_DIR"/deploy/systemd/lostinnl-beat.service \
        /etc/systemd/system/ || return 1
    systemctl daemon-reload || return 1
    # The worker host serves no pages (ROLE=worker); the single host does both.
    if [ "$ROLE" = single ]; then
        lostinnl-manage collectstatic --noinput --verbosity 0 || return 1
        # HUP: new workers with the new code; the old ones finish their requests first.
        systemctl reload-or-restart lostinnl.service || return 1
    fi
    # Warm shutdown: running tasks finish; queued ones wait in Redis for the new worker.
    systemctl restart lostinnl-worker.service lostinnl-beat.service || return 1
}

previous=$(as_app git -C "$APP_DIR" rev-parse HEAD)

log "Fetching $TARGET"
as_app git -C "$APP_DIR" fetch --quiet --prune --tags origin
target=$(as_app git -C "$APP_DIR" rev-parse --verify "$TARGET^{commit}") || die "unknown revision $TARGET"
if [ "$target" = "$previous" ]; then
    echo "already at $(as_app git -C "$APP_DIR" log -1 --format='%h %s')"
fi

rollback() {
    log "Rolling back to ${previous:0:12}"
    as_app git -C "$APP_DIR" checkout --quiet --detach "$previous"
    install_and_reload
    [ "$ROLE" != worker ] || die "release of ${target:0:12} failed on the worker; it is back on ${previous:0:12}"
    if healthy; then
        die "release of ${target:0:12} failed; ${previous:0:12} is serving again"
    fi
    die "release of ${target:0:12} failed and ${previous:0:12} does not answer either: see journalctl -u lostinnl"
}

log "Releasing ${target:0:12} (was ${previous:0:12})"
as_app git -C "$APP_DIR" checkout --quiet --detach "$target"
install_and_reload || rollback

if [ "$ROLE" = worker ]; then
    if [ -z "$WEB_GROUP" ] || [ -z "$RELEASE_PARAMETER" ]; then
        die "WEB_GROUP or RELEASE_PARAMETER missing in $STACK_ENV"
    fi
    log "Migrated once for the fleet; rolling the web hosts of $WEB_GROUP onto ${target:0:12}"
    fleet put-parameter "$RELEASE_PARAMETER" "$target"
    if ! fleet refresh "$WEB_GROUP"; then
        log "Rolling the web hosts back to ${previous:0:12}"
        fleet put-parameter "$RELEASE_PARAMETER" "$previous"
        as_app git -C "$APP_DIR" checkout --quiet --detach "$previous"
        install_and_reload || log "the worker did not go back cleanly to ${previous:0:12}: see journalctl"
        fleet refresh "$WEB_GROUP" || die "the roll-back refresh failed too: see the Auto Scaling group's activity"
        die "release of ${target:0:12} failed; the web hosts run ${previous:0:12} again"
    fi
    echo "released $(as_app git -C "$APP_DIR" log -1 --format='%h %s') to the fleet"
    exit 0
fi

log "Checking the database and media storage"
lostinnl-manage healthcheck || rollback

log "Health check through Nginx"
healthy || rollback

echo "released $(as_app git -C "$APP_DIR" log -1 --format='%h %s')"
