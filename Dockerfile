# One image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
# fonts-noto-core and fonts-noto-cjk: the faces badges are printed in (outreach/badges.py)
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings but no secrets of value: a throwaway key for the build step only.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    ANYMAIL_WEBHOOK_SECRET=build:only \
    python manage.py collectstatic --no-input -v 0
RUN useradd --system --home /app liaison && mkdir -p /data && chown liaison /data
USER liaison
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
