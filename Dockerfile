# One image for web and worker: Python 3.11, WeasyPrint's system libraries and a font.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN useradd --create-home app \
    && mkdir -p /app/private /app/staticfiles \
    && chown app /app/private /app/staticfiles
USER app

# collectstatic needs settings but no secret of real use.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
