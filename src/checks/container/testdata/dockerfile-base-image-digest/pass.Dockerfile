FROM node:20.11.1-bookworm-slim@sha256:4b4cbd0d0ab4c6f4e1cb1b50b1b1c9de1c5f1e0b0c6dd3f4a1e8a2f0c6b7d8e9 AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build

FROM gcr.io/distroless/nodejs20-debian12:nonroot@sha256:9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b
COPY --from=build /src/dist /app
CMD ["/app/server.js"]
