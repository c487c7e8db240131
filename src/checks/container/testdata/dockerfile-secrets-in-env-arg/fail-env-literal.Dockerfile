FROM python:3.12.3-slim
ENV FHIR_BASE_URL=https://fhir.example-clinic.org/r4 \
    FHIR_CLIENT_SECRET=9f8e7d6c5b4a39281706f5e4d3c2b1a0 \
    DATABASE_URL=postgresql://bridge:Winter2024!@db.internal:5432/fhir
COPY bridge/ /opt/bridge/
USER 10001
CMD ["python", "-m", "bridge"]
