ARG PY_VERSION=3.12.3
FROM python:${PY_VERSION}-slim AS build
RUN pip wheel --wheel-dir /wheels fhir.resources==7.1.0

FROM build AS test
RUN python -c "import fhir.resources"

FROM scratch AS export
COPY --from=build /wheels /wheels

FROM python:${PY_VERSION}-slim
COPY --from=build /wheels /wheels
USER 10001
