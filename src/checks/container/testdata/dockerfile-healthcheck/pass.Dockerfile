FROM node:20.11.1-bookworm-slim AS base
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]

FROM base
WORKDIR /srv/portal
COPY dist ./dist
USER node
CMD ["node", "dist/server.js"]
