# The cablestream worker (and the `cables` CLI) as an image; used by docker-compose.yml.
#
#   docker build -t cablestream:local .
#   docker run --rm -e CABLES_BOOTSTRAP_SERVERS=host:9092 -p 6066:6066 cablestream:local
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first (cached while only the code changes): the pinned list of pyproject.toml.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY streams ./streams
COPY schemas ./schemas
# Editable (links /app into site-packages, no copy): streams.kafka.codec reads the Avro schemas from
# schemas/ beside the package, which a plain `pip install .` would leave behind.
RUN pip install --no-deps -e . \
    && useradd --system --uid 10001 --home-dir /var/lib/cablestream cables \
    && mkdir -p /var/lib/cablestream \
    && chown -R cables /var/lib/cablestream

USER cables
ENV CABLES_WEB_HOST=0.0.0.0 \
    CABLES_WEB_PORT=6066 \
    CABLES_DATA_DIR=/var/lib/cablestream \
    CABLES_LOG_FORMAT=json
EXPOSE 6066
# SIGTERM lets the worker finish the current message, commit and flush (compose: stop_grace_period).
STOPSIGNAL SIGTERM
# Every line the worker writes is JSON (CABLES_LOG_FORMAT=json).
CMD ["cables", "worker"]
