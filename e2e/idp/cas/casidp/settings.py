"""Settings of the test CAS server: loopback only, a throw-away SQLite file
(CAS_IDP_DB), no request to the outside world."""
import os
import secrets

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = os.environ.get("CAS_IDP_SECRET_KEY") or secrets.token_hex(32)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "cas_server",
    "testidp",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "casidp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("CAS_IDP_DB", os.path.join(BASE_DIR, "cas.sqlite3")),
    }
}
LANGUAGE_CODE = "fr"
USE_TZ = True
STATIC_URL = "/static/"
SESSION_COOKIE_NAME = "casidp_session"
CSRF_COOKIE_NAME = "casidp_csrf"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# django-cas-server: users are Django users; nothing is fetched from outside
# (no version check, no CDN: the pages go without Bootstrap).
CAS_AUTH_CLASS = "cas_server.auth.DjangoAuthUser"
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
CAS_COMPONENT_URLS = {
    "bootstrap3_css": "data:text/css,",
    "bootstrap3_js": "data:text/javascript,",
    "html5shiv": "data:text/javascript,",
    "respond": "data:text/javascript,",
    "bootstrap4_css": "data:text/css,",
    "bootstrap4_js": "data:text/javascript,",
    "jquery": "data:text/javascript,",
}
CAS_TICKET_VALIDITY = 60
CAS_SLO_TIMEOUT = 2
