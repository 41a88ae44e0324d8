"""The seed's stack as its tutorial builds it, for benchmarks: Django + DRF, PostgreSQL, Celery on Redis, mail by
Django's SMTP backend. Everything that differs between runs comes from the environment (see bench/seed)."""
import datetime
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "users",
]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "seed_project.urls"
WSGI_APPLICATION = "seed_project.wsgi.application"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": os.environ["SEED_PG_PORT"],
        "NAME": os.environ["SEED_PG_DATABASE"],
        "USER": "postgres",
        "CONN_MAX_AGE": 60,
    }
}
AUTH_USER_MODEL = "users.User"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
LANGUAGE_CODE = "zh-hans"
# Registration is not measured; as our side uses bcrypt cost 4 for the benchmark users, a cheap hash here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SIMPLE_JWT = {
    "AUTH_HEADER_TYPES": ("JWT",),
    "ACCESS_TOKEN_LIFETIME": datetime.timedelta(days=1),
}

VERIFY_EMAIL_TOKEN_EXPIRES = 60 * 60 * 24

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["SEED_SMTP_PORT"])
EMAIL_FROM = "美多商城<noreply@meiduo.site>"

CELERY_BROKER_URL = os.environ["SEED_REDIS_URL"]

# Errors to gunicorn's log (with DEBUG off, Django would only mail them to the admins).
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
