FROM node:20.11.1-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM node:20.11.1-bookworm-slim
COPY --from=build /src/dist /app
USER node
CMD ["node", "/app/server.js"]
