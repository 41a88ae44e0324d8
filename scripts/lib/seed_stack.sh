# The seed's Python stack (Django 4.2, DRF, simplejwt, Celery 5.5 on Redis, gunicorn, psycopg2, itsdangerous 1.1.0)
# in the git-ignored .seed-stack/venv, installed from PyPI on first use. Sets SEED_STACK.
install_seed_stack() {
  SEED_STACK=$ROOT/.seed-stack
  if ! "$SEED_STACK/venv/bin/python" -c 'import django, rest_framework, rest_framework_simplejwt, celery, redis, gunicorn, psycopg2, itsdangerous' 2>/dev/null; then
    say "installing the seed's stack into .seed-stack/"
    python3 -m venv "$SEED_STACK/venv"
    "$SEED_STACK/venv/bin/pip" install --quiet --disable-pip-version-check "Django==4.2.*" "djangorestframework==3.15.*" \
      "djangorestframework-simplejwt==5.3.*" itsdangerous==1.1.0 "celery[redis]==5.5.*" "kombu==5.5.*" "gunicorn==23.*" psycopg2-binary
  fi
}
