FROM node:20.11.1-bookworm-slim
RUN apt-get update && apt-get install -y curl \
 && curl -fsSL https://deb.nodesource.example/setup_20.x \
    | bash - \
 && rm -rf /var/lib/apt/lists/*
USER node
