# syntax=docker/dockerfile:1.7
FROM node:20.11.1-bookworm-slim
ARG NPM_REGISTRY=https://npm.internal.example-clinic.org
ENV NODE_ENV=production \
    DB_PASSWORD_FILE=/run/secrets/db_password \
    FHIR_BASE_URL=https://fhir.example-clinic.org/r4 \
    TOKEN_TTL_SECONDS=900
WORKDIR /srv/app
COPY package*.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci --registry ${NPM_REGISTRY}
COPY dist ./dist
USER 10001
CMD ["node", "dist/server.js"]
