import os

from django.core.wsgi import get_wsgi_application

# A server process is production unless told otherwise (development: devtools/run.py sets dev).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
