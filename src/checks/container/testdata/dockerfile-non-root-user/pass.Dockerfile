# Appointment reminder service: runs as a dedicated UID.
FROM node:20.11.1-bookworm-slim AS build
WORKDIR /src
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20.11.1-bookworm-slim
ARG APP_UID=10001
RUN useradd --system --uid ${APP_UID} reminders
WORKDIR /srv/reminders
COPY --from=build --chown=reminders /src/dist ./dist
USER ${APP_UID}
CMD ["node", "dist/main.js"]
