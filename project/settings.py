"""Settings for LostInNL, driven entirely by the environment (12-factor).

Development, staging and production differ only by environment values. With
nothing configured the site runs on SQLite and local media; `DEBUG` is off by
default and `SECRET_KEY` is then required.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts",
    "listings",
    "appeals",
    "pages",
    "mailer",
    "alerts",
    "pagecache",
    "staging",
    "fleet",
    # Before the admin, whose forms it extends with one field per language (listings/translation.py).
    "modeltranslation",
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "project.middleware.FreezeLoadedObjectsMiddleware",
    "project.observability.RequestIdMiddleware",
    # Before everything else: a stored page is answered at once (pagecache/pages.py).
    "pagecache.pages.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "project.middleware.PermissionsPolicyMiddleware",
    # Before anything that reads the session or the user: an outage answers a styled 503.
    "project.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before CommonMiddleware (which may redirect to a URL with the language prefix).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): a second factor given at log-in (the admin asks when HTTPS is on).
    "django_otp.middleware.OTPMiddleware",
    "project.ratelimit.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

# `make dev`: Django Debug Toolbar, a development requirement (requirements-dev.txt) that production
# never installs, shown only with DEBUG on and to this machine.
DEBUG_TOOLBAR = DEBUG and env.bool("DEBUG_TOOLBAR", default=False)
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    # Early, but after WhiteNoise, which answers static files before any page is made.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    )
    INTERNAL_IPS = ["127.0.0.1", "::1"]

ROOT_URLCONF = "project.urls"
CSRF_FAILURE_VIEW = "project.errors.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "project.languages.languages",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "listings.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "project.wsgi.application"

# Database: one URL picks SQLite (the local default) or MySQL (production, RDS),
# e.g. mysql://lostinnl@db.example.rds.amazonaws.com:3306/lostinnl. The password
# may instead be given KMS-encrypted in DATABASE_PASSWORD_KMS (see project/kms.py).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if env("DATABASE_PASSWORD_KMS", default=""):
    from .kms import decrypt_setting

    DATABASES["default"]["PASSWORD"] = decrypt_setting("DATABASE_PASSWORD_KMS", env("DATABASE_PASSWORD_KMS"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # Full Unicode (accents, emoji) with a collation MySQL 8 and MariaDB both have,
    # strict SQL mode so bad data is an error rather than silently truncated.
    DATABASE_COLLATION = env("DATABASE_COLLATION", default="utf8mb4_unicode_520_ci")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "charset": "utf8mb4",
            "collation": DATABASE_COLLATION,
            "isolation_level": "read committed",
            "init_command": "SET sql_mode='STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
            "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
        }
    )
    if env("DATABASE_SSL_CA", default=""):
        # RDS: verify the server against the AWS RDS CA bundle.
        DATABASES["default"]["OPTIONS"]["ssl"] = {"ca": env("DATABASE_SSL_CA")}
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": DATABASE_COLLATION}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Give up connecting quickly, so an outage answers 503 at once (CONN_HEALTH_CHECKS
    # replaces a dead persistent connection on the next request).
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = env.int("DATABASE_CONNECT_TIMEOUT", default=1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Days the link e-mailed at sign-up stays valid (accounts/signup.py).
EMAIL_VERIFICATION_DAYS = env.int("EMAIL_VERIFICATION_DAYS", default=3)
LOGIN_REDIRECT_URL = "accounts:submissions"
LOGOUT_REDIRECT_URL = "home"

# English at /…, Canadian French at /fr/… (project/urls.py). The codes are the bare languages, as
# Django's own catalogues and date formats are; pages declare en-CA and fr-CA (project/languages.py).
# A third language (Inuktitut `iu`, Innu-aimun `moe`) is one more entry here and one catalogue in
# locale/ (README, "Translations"). Names are each language's own: the switch shows them as they are.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Staff-edited content (listings/translation.py) falls back to English where a translation is empty.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "America/St_Johns"
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise (compressed, with hashed names).
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Media (uploaded photos) is never served directly: every photo goes through a
# view that applies the privacy rule. S3 when a bucket is configured, the
# local file system otherwise. Objects are private (no ACL, bucket policy blocks
# public access) and reached through short-lived signed URLs. No keys here: boto3
# takes the instance role, or the standard AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")


def s3_media_storage(bucket_name, **options):
    """The media storage on a private S3 bucket; the S3 tests configure theirs with it too."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "private, max-age=300"},
            **options,
        },
    }


if AWS_STORAGE_BUCKET_NAME:
    MEDIA_STORAGE = s3_media_storage(
        AWS_STORAGE_BUCKET_NAME,
        endpoint_url=env("AWS_S3_ENDPOINT_URL", default=None),
        region_name=env("AWS_S3_REGION_NAME", default=None),
        querystring_expire=env.int("AWS_QUERYSTRING_EXPIRE", default=300),
        addressing_style=env("AWS_S3_ADDRESSING_STYLE", default=None),
    )
else:
    MEDIA_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": "/media-not-served/"},
    }

STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}

# Uploads: limits enforced by the submission form (and mirrored in Nginx).
PHOTO_MAX_UPLOAD_BYTES = env.int("PHOTO_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# 24 megapixels (6000 × 4000, a DSLR photo): decoding one takes at most ~100 MB and ~0.6 s of CPU
# (scripts/image_memory.py); a JPEG is decoded at reduced scale and takes far less.
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=24_000_000)
PHOTO_MAX_PER_CASE = env.int("PHOTO_MAX_PER_CASE", default=6)
# The whole submission (all photos together); Nginx's client_max_body_size matches it.
SUBMISSION_MAX_UPLOAD_BYTES = env.int("SUBMISSION_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
# Rejected submissions and their media are deleted this many days after rejection
# (manage.py purge_rejected, run daily by lostinnl-purge.timer).
REJECTED_RETENTION_DAYS = env.int("REJECTED_RETENTION_DAYS", default=90)
# A found person's case stays up (saying so, without details) this many days, then
# manage.py withdraw_found, run hourly by lostinnl-purge.timer, takes it off the site.
FOUND_CASE_RETENTION_DAYS = env.int("FOUND_CASE_RETENTION_DAYS", default=30)
# Open cases not confirmed with the police for this many days are flagged in the admin.
CASE_CONFIRMATION_DAYS = env.int("CASE_CONFIRMATION_DAYS", default=90)
# Photos kept from an unfinished submission are deleted by purge_staged_photos after this many hours.
STAGED_PHOTO_HOURS = env.int("STAGED_PHOTO_HOURS", default=24)
# Cases with a similar name last seen this many days apart or less are shown as possible duplicates.
DUPLICATE_WINDOW_DAYS = env.int("DUPLICATE_WINDOW_DAYS", default=90)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail: console backend locally, SMTP (or any backend) from EMAIL_URL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="LostInNL <no-reply@lostinnl.ca>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
MANAGERS = [("Site managers", address) for address in env.list("MANAGERS", default=["managers@lostinnl.ca"])]
ADMINS = [("Operators", address) for address in env.list("ADMINS", default=[])]
# A mail server that accepts the connection and never answers gives up after this many seconds.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Failed deliveries are retried by the worker after EMAIL_RETRY_DELAY seconds, doubling each time
# up to EMAIL_RETRY_DELAY_MAX, EMAIL_MAX_RETRIES times (about two days with the defaults).
EMAIL_RETRY_DELAY = env.float("EMAIL_RETRY_DELAY", default=30)
EMAIL_RETRY_DELAY_MAX = env.float("EMAIL_RETRY_DELAY_MAX", default=3600)
EMAIL_MAX_RETRIES = env.int("EMAIL_MAX_RETRIES", default=50)
# Sent messages stay in the delivery log (recipients and subject, never the body) this many days.
EMAIL_LOG_RETENTION_DAYS = env.int("EMAIL_LOG_RETENTION_DAYS", default=90)

# Background work (Celery). Production sets CELERY_BROKER_URL (Redis: redis://host:6379/0, or ElastiCache
# with rediss://). Without a broker every task runs eagerly, inside the process that queued it.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
# The worker logs through the site's LOGGING (JSON lines) instead of replacing the root handler with its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="lostinnl")
# A task is acknowledged once it has run, so a worker killed mid-task leaves it to another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker outage must not hold a web request: give up publishing quickly (the delivery row stays
# queued and the periodic sweep queues it again).
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "visibility_timeout": 7200}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = "America/St_Johns"
CELERY_BEAT_SCHEDULE = {
    "requeue-stalled-mail": {"task": "mailer.tasks.requeue_stalled", "schedule": 600.0},
    "purge-mail-log": {"task": "mailer.tasks.purge_delivery_log", "schedule": 86400.0},
    "alert-digests": {"task": "alerts.tasks.send_daily_digests", "schedule": crontab(hour=7, minute=0)},
    "purge-unconfirmed-alerts": {"task": "alerts.tasks.purge_unconfirmed", "schedule": 3600.0},
    "moderation-digest": {"task": "listings.tasks.send_moderation_digest", "schedule": crontab(hour=8, minute=0)},
    "queue-metrics": {"task": "mailer.tasks.publish_queue_metrics", "schedule": 60.0},
}
# On AWS: publish the task queue's depth and the age of the oldest unsent e-mail to CloudWatch every
# minute (the stack's QueuedEmailAlarm watches them). The instance role may put metrics in LostInNL.
CLOUDWATCH_METRICS = env.bool("CLOUDWATCH_METRICS", default=False)
AWS_CLOUDWATCH_ENDPOINT_URL = env("AWS_CLOUDWATCH_ENDPOINT_URL", default="")
# Moderators are told of new submissions one e-mail each ("each") or in a daily digest ("digest").
MODERATION_EMAIL = env.str("MODERATION_EMAIL", default="each")
# Alerts: an address gets at most one confirmation request an hour; one never confirmed is deleted
# after ALERTS_UNCONFIRMED_DAYS.
ALERTS_CONFIRMATION_INTERVAL = env.int("ALERTS_CONFIRMATION_INTERVAL", default=3600)
ALERTS_UNCONFIRMED_DAYS = env.int("ALERTS_UNCONFIRMED_DAYS", default=7)

# Behind Nginx: trust the scheme it forwards.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)

SITE_NAME = "LostInNL"
# Mail to staff (managers, operators) says which site it comes from, not Django's "[Django]".
EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Where the site is reached from outside; used for links in e-mails sent outside a request.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
LISTINGS_PAGE_SIZE = 24
# A listing shows at most this many pages and counts no further (listings/pagination.py).
LISTINGS_MAX_PAGES = env.int("LISTINGS_MAX_PAGES", default=100)
# Only `make bench` turns this on: /bench/bare/ answers "ok", its yardstick for the pages.
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)

# Logs: JSON lines on standard error (systemd appends them to /var/log/lostinnl/app.log, which the
# CloudWatch agent ships), UTC timestamps and a request id (project/observability.py). A server
# error is also e-mailed to ADMINS, and sent to Sentry when SENTRY_DSN is set.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "project.observability.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "json": {"()": "project.observability.JsonLines"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own loggers reach the root's JSON handler; their errors (a 500 in django.request)
        # also go to ADMINS. Django's default plain-text console handler is replaced.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from .observability import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=""),
    )

# Security. One switch, HTTPS, turns on everything that needs TLS in front of the
# site: it is off for `make run` on http://127.0.0.1:8000 (log-in works there over
# plain HTTP) and MUST be true in production, where `manage.py check --deploy`
# then reports nothing.
HTTPS = env.bool("HTTPS", default=False)
# The admin's second factor (accounts/admin_site.py): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "LostInNL"

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
# The load balancer's probe may speak plain HTTP to the host.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = env(
    "PERMISSIONS_POLICY",
    default="accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), "
    "xr-spatial-tracking=()",
)

# The admin lives where ADMIN_URL says (a less obvious path than admin/ in production).
ADMIN_URL = env("ADMIN_URL", default="admin/").strip("/") + "/"

# Content-Security-Policy (django-csp 4): nothing inline, nothing from another
# origin except the S3 bucket the photo views redirect to.
_media_origins = []
if AWS_STORAGE_BUCKET_NAME:
    _endpoint = env("AWS_S3_ENDPOINT_URL", default="")
    if _endpoint:
        _media_origins.append(_endpoint.rstrip("/"))
    else:
        _region = env("AWS_S3_REGION_NAME", default="")
        _media_origins.append(
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{_region}.amazonaws.com"
            if _region
            else f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
        )
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_media_origins],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    },
}

# Caches: rate-limit counters and the page cache must be shared by every Gunicorn worker.
# The default keeps them in files under CACHE_DIR, which every process on the host shares
# (project/cache.py); production sets CACHE_URL=redis://host:6379/1, which every host shares.
CACHE_DIR = env.path("CACHE_DIR", default=BASE_DIR / "var" / "cache")
if env("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        CACHES["default"]["BACKEND"] = "project.cache.RedisCache"  # one client per pool, not per call
else:
    CACHES = {
        "default": {
            "BACKEND": "project.cache.SharedFileCache",
            "LOCATION": str(CACHE_DIR),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Put before every key, so that several sites or test runs can share one Redis. Its own
# variable: django-environ lower-cases a ?key_prefix= in a redis:// URL, which Django ignores.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="")

# Anonymous pages from the shared cache (pagecache/), invalidated by any change to public content.
# Only in a cache every process shares: a per-process one would keep serving pages another worker's
# change made stale, so with the local-memory default it is off unless PAGE_CACHE_SECONDS says otherwise.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int(
    "PAGE_CACHE_SECONDS", default=0 if CACHES[PAGE_CACHE_ALIAS]["BACKEND"].endswith("LocMemCache") else 600
)
PAGE_CACHE_URL_NAMES = [
    "home",
    "listings:case_list",
    "listings:case_detail",
    "listings:resources",
    "listings:feed",
    "listings:sitemap",
    "pages:about",
    "pages:privacy",
]
# Models no public page shows: their changes leave the cached pages alone ("app.*" is a whole app).
PAGE_CACHE_PRIVATE_MODELS = [
    "sessions.session",
    "admin.logentry",
    "axes.*",
    "listings.tip",
    "listings.contactmessage",
    "staging.stagedphoto",
    "mailer.delivery",
    "alerts.subscription",
]

# Client addresses: only a request from one of these may name the client in X-Forwarded-For.
# Behind the load balancer the host's Nginx has already replaced the balancer's address with
# the client's (set_real_ip_from in deploy/nginx/lostinnl.conf), and it is the only peer
# Gunicorn's unix socket has, so the default fits every topology; list the balancer's
# subnets here only if Gunicorn ever listens on TCP behind it.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

# Rate limits on POSTs, by URL name (project/ratelimit.py); RATELIMITS in the
# environment overrides single entries: "listings:case_tip=100/m,listings:contact=5/h".
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)
RATELIMITS = {
    "accounts:resend_verification": "5/h",
    "listings:case_tip": "10/h",
    "listings:contact": "10/h",
    "accounts:signup": "10/h",
    "listings:submit": "20/h",
    "password_reset": "10/h",
    "alerts:follow": "10/h",
    "alerts:regions": "10/h",
    **env.dict("RATELIMITS", default={}),
}

# Log-in lockout (django-axes): 5 failures for one username from one address
# lock that pair for 15 minutes; the site's and the admin's log-in alike.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_CLIENT_IP_CALLABLE = "project.ratelimit.client_ip"
AXES_USERNAME_CALLABLE = "project.auth_backends.lockout_username"
AXES_VERBOSE = False
AUTHENTICATION_BACKENDS = ["project.auth_backends.LockoutBackend"]
# Failed log-ins are counted in the database, which every web host shares.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Sessions in the database: a member logged in through one host is logged in on all of them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# More than one web host behind a load balancer (the scaled topology sets MULTI_HOST=true):
# any request may reach any host, so start-up fails, with one line saying what to change,
# while photos, the cache or the database would stay on one host (project/hosts.py).
MULTI_HOST = env.bool("MULTI_HOST", default=False)
if MULTI_HOST:
    from .hosts import require_shared_state

    require_shared_state(databases=DATABASES, storages=STORAGES, caches=CACHES)

# Form widgets and fields render through TEMPLATES, so templates/ can hold
# form templates (templates/includes/honeypot_field.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
