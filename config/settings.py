"""Settings, driven by environment variables with embedded development defaults.

`DJANGO_ENV=production` turns on the production profile, which refuses to start without
`DJANGO_SECRET_KEY` and `ALLOWED_HOSTS`. Every variable is listed in docs/configuration.md.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to at least 50 random characters in production."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
else:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="development-only-secret-key-not-for-production-use-0123456789"
    )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "core.admin_apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_countries",
    "core",
    "crm",
    "pact",
    "forums",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.languages.AccountLanguageMiddleware",
    "core.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.privacy.AccessLogMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (psycopg 3) when DATABASE_URL says so.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: email is the login, confirmed before the first sign-in. Mandatory
# confirmation is what lets sign-up answer the same whether or not an address is registered
# (allauth's enumeration prevention: the owner of a registered address gets an email instead).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
if env.bool("DISABLE_RATE_LIMITS", default=False):
    if PRODUCTION:
        raise ImproperlyConfigured("DISABLE_RATE_LIMITS cannot be used in production.")
    ACCOUNT_RATE_LIMITS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AI Office] "
ACCOUNT_ADAPTER = "crm.accounts.AccountAdapter"
ACCOUNT_USER_DISPLAY = "crm.accounts.user_display"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="AI Office CRM")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "me:dashboard"
# Staff must have an authenticator before they reach the back office.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
if PRODUCTION and not STAFF_MFA_REQUIRED:
    raise ImproperlyConfigured("STAFF_MFA_REQUIRED cannot be switched off in production.")

LANGUAGE_CODE = "en"
# The 24 official languages of the European Union, by their own names.
LANGUAGES = [
    ("bg", "български"),
    ("cs", "čeština"),
    ("da", "dansk"),
    ("de", "Deutsch"),
    ("el", "ελληνικά"),
    ("en", "English"),
    ("es", "español"),
    ("et", "eesti"),
    ("fi", "suomi"),
    ("fr", "français"),
    ("ga", "Gaeilge"),
    ("hr", "hrvatski"),
    ("hu", "magyar"),
    ("it", "italiano"),
    ("lt", "lietuvių"),
    ("lv", "latviešu"),
    ("mt", "Malti"),
    ("nl", "Nederlands"),
    ("pl", "polski"),
    ("pt", "português"),
    ("ro", "română"),
    ("sk", "slovenčina"),
    ("sl", "slovenščina"),
    ("sv", "svenska"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("ecl", BASE_DIR / "vendor" / "ecl" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded personal documents (applicants' CVs): never under MEDIA_URL, read only through views
# that check who is asking.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email: printed to the console unless an SMTP URL is given.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A backend class of one's own (a mail provider's API, or a test's recording backend).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="AI Office <no-reply@ai-office.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write when something does not work (shown on the password-reset page).
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@ai-office.localhost")

# Celery: tasks run eagerly in-process unless a broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A worker that dies mid-task (killed, out of memory) gives the message back, so another
# worker runs the task again; tasks are idempotent (see docs/operations.md, "Faults").
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged message to another worker after this many seconds;
    # it must exceed the longest task.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # Publishing gives up at once when the broker is down: the outbox keeps the task.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A running job holds its lease this long after its start and each progress report; a job whose
# lease ran out had its worker die and is started again (core.jobs.jobs_reap_expired).
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {
    "core-relay-outbox": {
        "task": "core.tasks.relay_outbox",
        "schedule": 60.0,
    },
    "crm-send-due-mailings": {
        "task": "crm.mailings.tasks.send_due_mailings",
        "schedule": 60.0,
    },
    "core-reap-expired-jobs": {
        "task": "core.tasks.reap_expired_jobs",
        "schedule": 60.0,
    },
    "reports-scheduled-reports": {
        "task": "reports.tasks.send_scheduled_reports",
        "schedule": crontab(hour=6, minute=30),
    },
    "pact-progress-report-reminders": {
        "task": "pact.tasks.send_progress_report_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "crm-staff-digest": {
        "task": "crm.tasks.send_staff_digest",
        "schedule": crontab(hour=7, minute=30),
    },
    "forums-event-reminders": {
        "task": "forums.tasks.send_event_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "forums-expire-waitlist-offers": {
        "task": "forums.tasks.expire_waitlist_offers",
        "schedule": crontab(minute="*/5"),
    },
    "purge-expired-personal-data": {
        "task": "core.tasks.purge_expired_personal_data",
        "schedule": crontab(hour=3, minute=30),
    },
    "forums-end-expired-memberships": {
        "task": "forums.tasks.end_expired_memberships",
        "schedule": crontab(hour=0, minute=20),
    },
    "forums-membership-term-reminders": {
        "task": "forums.tasks.send_membership_term_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "forums-declaration-reminders": {
        "task": "forums.tasks.send_declaration_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
}

CACHES = {
    "default": (
        env.cache("CACHE_URL")
        if env.str("CACHE_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Rate limits, used second-factor codes and cached figures must be shared by every process.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if PRODUCTION and CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
    raise ImproperlyConfigured(
        "CACHE_URL must name a cache that every process shares in production "
        "(e.g. redis://host:6379/1)."
    )

# The staff JSON API (Django REST framework): read-only, API keys only (no session, so no
# cross-site request can use a signed-in browser), paginated, filtered like the lists.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["crm.api_auth.ApiTokenAuthentication"],
    # Each endpoint names its own (core.api.ModelViewPermission); this default refuses.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Office stakeholder engagement API",
    "DESCRIPTION": "Read-only access for staff integrations. Authenticate with "
    "`Authorization: Bearer <key>`; keys are made under /crm/api-tokens/.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # The pledge's language and a person's preferred language are the same 24 languages.
    "ENUM_NAME_OVERRIDES": {"LanguageEnum": "config.settings.LANGUAGES"},
}

# django-filter: an unset filter reads "Any", not a row of dashes.
FILTERS_EMPTY_CHOICE_LABEL = _("Any")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", default="2026-01")
PRIVACY_NOTICE_NAME = env.str(
    "PRIVACY_NOTICE_NAME", default="Stakeholder engagement of the AI Office"
)

# How long each kind of personal data is kept, in days (docs/privacy.md lists what each
# kind covers). The periodic purge deletes or anonymises what is older.
# Mailings: recipients a worker claims at once, how long before a dead worker's claim returns
# to the queue, how many batch tasks send one mailing side by side, and the most emails a
# second for one mailing (0: as fast as the mail server takes them).
MAILING_BATCH_SIZE = env.int("MAILING_BATCH_SIZE", default=200)
MAILING_LEASE_SECONDS = env.int("MAILING_LEASE_SECONDS", default=120)
MAILING_PARALLEL_BATCHES = env.int("MAILING_PARALLEL_BATCHES", default=2)
MAILING_RATE_PER_SECOND = env.float("MAILING_RATE_PER_SECOND", default=50)

RETENTION_DAYS = {
    "special_requirements": 30,  # after the event ends
    "event_registrations": 3 * 365,  # after the event ends: registration details
    "unconfirmed_accounts": 30,  # after sign-up, email never confirmed
    "staff_notes": 5 * 365,  # after the note was written
    "network_contacts": 365,  # after the organisation left the AI Pact network
    "access_log": 2 * 365,  # after the access
    **env.json("RETENTION_DAYS", default={}),
}
# A header set by a trusted reverse proxy with the client's address (e.g. HTTP_X_REAL_IP);
# empty to use REMOTE_ADDR. Used by the access log.
PROXY_CLIENT_IP_HEADER = env.str("PROXY_CLIENT_IP_HEADER", default="")

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_HTTPONLY = True
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Content-Security-Policy (django-csp): every script, style, font and image comes from this
# site; no inline script runs, nothing is framed, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

SITE_NAME = _("AI Office stakeholder engagement")
