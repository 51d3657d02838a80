FROM python:3.12-slim

# The code runs from /app (PYTHONPATH puts it ahead of site-packages whatever the
# working directory), so manage.py, templates and the rulebook are the ones copied here.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=portal.settings.production

RUN groupadd --system portal && useradd --system --gid portal --no-create-home portal

WORKDIR /app
COPY . .
RUN pip install -c requirements/lock.txt .

# Production settings refuse to load without their secrets, and collectstatic loads
# them. These throwaway values exist only for this one command; none of them reaches
# the image's environment, and the real ones come from docker-compose.yml at run time.
RUN SECRET_KEY=collectstatic-at-build-time-only \
    ALLOWED_HOSTS=build.invalid \
    WAGTAILADMIN_BASE_URL=https://build.invalid \
    EMAIL_HOST=build.invalid \
    DATABASE_URL=sqlite:////tmp/collectstatic-build.sqlite3 \
    python manage.py collectstatic --noinput

USER portal
EXPOSE 8000
# Workers: WEB_CONCURRENCY. No control socket: the portal user has no home directory
# to hold it, and nothing in the container talks to it.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--no-control-socket"]
