"""Settings shared by every environment; values come from the environment."""

import os
from pathlib import Path

import dj_database_url
import ldap
from csp.constants import NONE, SELF
from django_auth_ldap.config import LDAPSearch

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in env("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "config.apps.SchoolAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "django_ratelimit",
    "csp",
    "simple_history",
    "core",
    "members",
    "workrooms",
    "assessment",
    "archives",
    "config.apps.ProjectConfig",
    "django_celery_beat",
]

MIDDLEWARE = [
    # Every log line of a request names it (core.logs).
    "core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An account whose first password was set for it changes it before anything else.
    "members.accounts.middleware.MustChangePasswordMiddleware",
    # Who made a change to a tracked record (修改记录), when no service names the actor.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Create forms are safe to submit twice: a form's one-time token (core.submit).
    "core.submit.SubmitOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.roles",
                "core.notify.unread_notifications",
            ],
            # {% form_once %} in every create form (core.submit).
            "builtins": ["core.submit"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes refuses locked-out logins, the per-account limit (config.login)
# refuses a username past its failures this hour; ModelBackend then authenticates.
# The single sign-on backends (members.accounts.sso) do nothing unless
# OIDC_ENABLED / LDAP_ENABLED is on; LDAP is tried before the local password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "config.login.UsernameLimitBackend",
    "members.accounts.sso.OIDCBackend",
    "members.accounts.sso.LDAPBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection (config.login): lock a username from one address
# after 5 failures; at most LOGIN_FAILURES_PER_USERNAME failures an hour for
# one username over all addresses, except from addresses it signed in from.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_CLIENT_IP_CALLABLE = "core.client.client_ip"
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The username of an attempt: the one typed, or the staff number a single
# sign-on identity gave (refused identities are recorded under it).
AXES_USERNAME_CALLABLE = "config.login.attempt_username"
LOGIN_FAILURES_PER_USERNAME = int(env("LOGIN_FAILURES_PER_USERNAME", "10"))
LOGIN_KNOWN_ADDRESS_DAYS = 30

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files are private: never served from a public URL,
# only through views that check permission.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-public/"
# Every upload and generated file goes through the storage API (core.files):
# a folder (MEDIA_ROOT) on one machine; with STORAGE_S3_BUCKET an
# S3-compatible object store (MinIO, Aliyun OSS, Tencent COS, AWS S3) that
# several web and worker machines share (django-storages, README.md 生产部署).
if env("STORAGE_S3_BUCKET"):
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("STORAGE_S3_BUCKET"),
            "endpoint_url": env("STORAGE_S3_ENDPOINT_URL"),
            "region_name": env("STORAGE_S3_REGION"),
            "access_key": env("STORAGE_S3_ACCESS_KEY"),
            "secret_key": env("STORAGE_S3_SECRET_KEY"),
            "location": env("STORAGE_S3_PREFIX", ""),
            "addressing_style": env("STORAGE_S3_ADDRESSING_STYLE"),  # "virtual" for Aliyun OSS
            "signature_version": env("STORAGE_S3_SIGNATURE_VERSION", "s3v4"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# Imports (导入教师名册): refused before parsing when the workbook would
# decompress to more than IMPORT_MAX_UNCOMPRESSED_BYTES or declares more than
# IMPORT_MAX_ROWS rows; read in a background job with progress when it has
# more than IMPORT_BACKGROUND_ROWS rows or decompresses to more than
# IMPORT_BACKGROUND_BYTES.
IMPORT_MAX_UNCOMPRESSED_BYTES = int(env("IMPORT_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "5000"))
IMPORT_BACKGROUND_ROWS = int(env("IMPORT_BACKGROUND_ROWS", "500"))
IMPORT_BACKGROUND_BYTES = int(env("IMPORT_BACKGROUND_BYTES", str(2 * 1024 * 1024)))
# How long a form's one-time token is remembered after its post (core.submit).
FORM_ONCE_SECONDS = int(env("FORM_ONCE_SECONDS", str(24 * 3600)))
UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# manage.py backup writes its archives here unless told --output.
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "backups")))

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only
# from this site (QR codes are data: images); no inline script or style
# attribute; pages frame only this site's own files (PDF previews) and are
# framed by no one (file previews, by this site only: core.files); forms post
# only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-src": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-ratelimit counts in the cache. Django's own RedisCache (newer than
# django-ratelimit's list of known backends) increments atomically, so its
# "not officially supported" warning does not apply. Without Redis the app
# runs as one process (scripts/run.sh), where a local-memory cache is shared.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

# Celery: Redis as the broker. Without a broker (embedded run) tasks run
# in-process so that the app works with nothing else installed.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest any task may run (each task sets its own limit at most this).
CELERY_TASK_TIME_LIMIT = 360
CELERY_TASK_SOFT_TIME_LIMIT = 300
# The longest countdown of an automatic retry (core.tasks' e-mail; document
# jobs wait at most JOB_RETRY_BACKOFF_MAX).
CELERY_RETRY_COUNTDOWN_MAX = 300
# Redis gives a message that was taken but not acknowledged (its worker was
# killed) to another worker after this many seconds. A message is held from
# its delivery (a retry's waits out its countdown in the worker) until its
# task ends, so: the longest countdown plus the longest task, 11 minutes
# rather than Redis's default hour. Every worker looks for such messages
# every 10 seconds (kombu's default looks only every tenth time, so a lost
# message could wait 100 s more).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(
        env("CELERY_VISIBILITY_TIMEOUT", str(CELERY_RETRY_COUNTDOWN_MAX + CELERY_TASK_TIME_LIMIT))
    ),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
# A pool process that grew past this many KiB (a large handbook or batch) is
# replaced after its task, and every process after this many tasks.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(env("CELERY_WORKER_MAX_MEMORY_PER_CHILD", "300000"))
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(env("CELERY_WORKER_MAX_TASKS_PER_CHILD", "200"))
# Queues: everything goes to "celery" unless these name other queues, e.g.
# documents for PDF and spreadsheet jobs, mail for notification e-mails,
# each served by its own worker (README.md, 生产部署).
CELERY_TASK_ROUTES = {
    "archives.tasks.*": {"queue": env("CELERY_DOCUMENTS_QUEUE", "celery")},
    "members.tasks.send_notification_email": {"queue": env("CELERY_MAIL_QUEUE", "celery")},
    "core.tasks.send_robot_message": {"queue": env("CELERY_MAIL_QUEUE", "celery")},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fix-up closes the database connection after every task
# unless told to reuse it, and a new PostgreSQL connection costs more than a
# small task. Reuse it; config.celery lets Django's CONN_MAX_AGE and health
# checks decide when a connection is closed, as they do for web requests.
CELERY_DB_REUSE_MAX = 10_000
# The reminder schedule lives in the database, editable in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "workrooms@localhost")

# django-filter: the empty choice of every select filter (instead of "---------").
FILTERS_EMPTY_CHOICE_LABEL = "全部"

SITE_NAME = "名班主任工作室管理系统"

# Group robots (企业微信, 钉钉): a webhook address must start with one of
# these, so that a robot cannot make the server call any other address.
# Space-separated lists; the platforms' public addresses by default, other
# prefixes for privately deployed 企业微信/专属钉钉.
ROBOT_WEBHOOK_PREFIXES = {
    "wecom": env("ROBOT_WECOM_URL_PREFIXES", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=").split(),
    "dingtalk": env("ROBOT_DINGTALK_URL_PREFIXES", "https://oapi.dingtalk.com/robot/send?access_token=").split(),
}
# A failed robot message is retried after this many seconds, doubling each time.
ROBOT_RETRY_BASE_SECONDS = int(env("ROBOT_RETRY_BASE_SECONDS", "10"))
# load_demo creates accounts with a known password: production settings refuse it.
DEMO_DATA_ALLOWED = True
# Visitor messages on a public workroom page: at most this many per address per hour.
SHOWCASE_MESSAGES_PER_HOUR = int(env("SHOWCASE_MESSAGES_PER_HOUR", "5"))
SHOWCASE_CACHE_SECONDS = int(env("SHOWCASE_CACHE_SECONDS", "600"))
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none).
# Every client address (login lockout, rate limits, visitor messages) comes
# from core.client.client_ip, which reads this.
TRUSTED_PROXY_HOPS = int(env("TRUSTED_PROXY_HOPS", "0"))
RATELIMIT_IP_META_KEY = "core.client.client_ip"

# Every line names its request (req-…) or Celery task (task-…): core.logs.
# Celery's workers keep this configuration instead of their own.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.logs.ContextFilter"}},
    "formatters": {
        "readable": {"format": "%(asctime)s %(levelname)s [%(context)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "readable", "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Sign-ins, failed sign-ins and sign-outs (django-axes' access logs, in the
# admin) are kept this many days (at least six months), then deleted by the
# daily "清理登录记录" task of Celery beat.
LOGIN_RECORD_RETENTION_DAYS = max(183, int(env("LOGIN_RECORD_RETENTION_DAYS", "190")))
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 100_000

# Documents (archives): fonts embedded in PDFs under their own family names,
# the public address printed under certificate QR codes, export thresholds.
PDF_FONT_DIR = Path(env("PDF_FONT_DIR", "/usr/share/fonts/opentype/noto"))
PDF_FONTS = {
    "regular": str(PDF_FONT_DIR / "NotoSerifCJK-Regular.ttc"),
    "bold": str(PDF_FONT_DIR / "NotoSerifCJK-Bold.ttc"),
}
PDF_DEBUG_HTML = env_bool("PDF_DEBUG_HTML", False)
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")
EXPORT_JOB_THRESHOLD = int(env("EXPORT_JOB_THRESHOLD", "3000"))
EXPORT_BATCH_SIZE = 1000
VERIFY_RATE_LIMIT = int(env("VERIFY_RATE_LIMIT", "60"))  # lookups per address per window
VERIFY_RATE_WINDOW = 600  # seconds
# Automatic retries of a document job wait 2, 4, 8 … seconds, at most
# JOB_RETRY_BACKOFF_MAX: 2+4+8+16+32+64 = 126 s in all, so a database or
# broker that is back within about two minutes costs no user a retry.
JOB_MAX_RETRIES = 6
JOB_RETRY_BACKOFF_MAX = int(env("JOB_RETRY_BACKOFF_MAX", "120"))
# A job still queued after this many seconds may be sent again by its user.
JOB_STALE_AFTER = int(env("JOB_STALE_AFTER", "300"))
CERTIFICATE_CHUNK_SIZE = int(env("CERTIFICATE_CHUNK_SIZE", "10"))

# --- Single sign-on (统一身份认证) and passwords (README「统一身份认证与密码」) ---
# The identity's staff number (工号) links it to the teacher with that number.
# Unknown staff numbers are refused, unless SSO_CREATE_UNKNOWN is on: then a
# teacher of the school named SSO_NEW_TEACHER_SCHOOL is created.
SSO_CREATE_UNKNOWN = env_bool("SSO_CREATE_UNKNOWN", False)
SSO_NEW_TEACHER_SCHOOL = env("SSO_NEW_TEACHER_SCHOOL", "")

# OpenID Connect (mozilla-django-oidc), the authorization code flow.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid profile email")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = int(env("OIDC_TIMEOUT", "10"))
OIDC_STAFF_NO_CLAIM = env("OIDC_STAFF_NO_CLAIM", "staff_no")
OIDC_NAME_CLAIM = env("OIDC_NAME_CLAIM", "name")
OIDC_EMAIL_CLAIM = env("OIDC_EMAIL_CLAIM", "email")
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"

# LDAP / Active Directory (django-auth-ldap): the login form's username is
# looked up with LDAP_USER_FILTER under LDAP_USER_BASE_DN, then the password
# is checked by binding as that entry.
LDAP_ENABLED = env_bool("LDAP_ENABLED", False)
AUTH_LDAP_SERVER_URI = env("AUTH_LDAP_SERVER_URI", "")
AUTH_LDAP_BIND_DN = env("AUTH_LDAP_BIND_DN", "")
AUTH_LDAP_BIND_PASSWORD = env("AUTH_LDAP_BIND_PASSWORD", "")
AUTH_LDAP_START_TLS = env_bool("AUTH_LDAP_START_TLS", False)
LDAP_USER_BASE_DN = env("LDAP_USER_BASE_DN", "")
LDAP_USER_FILTER = env("LDAP_USER_FILTER", "(uid=%(user)s)")
LDAP_STAFF_NO_ATTR = env("LDAP_STAFF_NO_ATTR", "employeeNumber")
LDAP_NAME_ATTR = env("LDAP_NAME_ATTR", "cn")
LDAP_EMAIL_ATTR = env("LDAP_EMAIL_ATTR", "mail")
AUTH_LDAP_USER_SEARCH = LDAPSearch(LDAP_USER_BASE_DN, ldap.SCOPE_SUBTREE, LDAP_USER_FILTER)
# Nothing is copied from the directory onto existing accounts; Active
# Directory needs referrals off; an unreachable server fails in 5 seconds.
AUTH_LDAP_ALWAYS_UPDATE_USER = False
AUTH_LDAP_USER_ATTR_MAP = {}
AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 5, ldap.OPT_TIMEOUT: 5}

# Password reset by e-mail: links valid PASSWORD_RESET_HOURS hours (the
# address in them is SITE_URL). Codes the office hands out: valid
# PASSWORD_CODE_HOURS hours, once. At most PASSWORD_CODE_TRIES wrong codes
# (and PASSWORD_RESET_REQUESTS e-mail requests) per address an hour.
PASSWORD_RESET_TIMEOUT = int(env("PASSWORD_RESET_HOURS", "24")) * 3600
PASSWORD_CODE_HOURS = int(env("PASSWORD_CODE_HOURS", "72"))
PASSWORD_CODE_TRIES = int(env("PASSWORD_CODE_TRIES", "10"))
PASSWORD_RESET_REQUESTS = int(env("PASSWORD_RESET_REQUESTS", "10"))
