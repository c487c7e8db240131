# syntax=docker/dockerfile:1.7
FROM node:20.11.1-bookworm-slim
WORKDIR /srv/portal
COPY package.json package-lock.json .env.example ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
COPY certs/rds-global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
COPY dist ./dist
USER node
CMD ["node", "dist/server.js"]
