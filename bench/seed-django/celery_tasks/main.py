import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seed_project.settings")
celery_app = Celery("meiduo", broker=os.environ["SEED_REDIS_URL"])
celery_app.autodiscover_tasks(["celery_tasks.email"])
