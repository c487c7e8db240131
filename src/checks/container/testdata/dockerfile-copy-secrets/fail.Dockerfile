FROM node:20.11.1-bookworm-slim AS deps
WORKDIR /src
COPY .npmrc package.json package-lock.json ./
RUN npm ci

FROM node:20.11.1-bookworm-slim
WORKDIR /srv/portal
COPY --from=deps /src/node_modules ./node_modules
COPY .env ./
COPY deploy/keys/id_rsa /root/.ssh/id_rsa
COPY tls/portal.key tls/portal.crt /etc/portal/tls/
USER node
CMD ["node", "dist/server.js"]
