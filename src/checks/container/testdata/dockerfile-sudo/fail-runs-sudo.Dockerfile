FROM node:20.11.1-bookworm-slim
USER node
RUN sudo apt-get update && sudo apt-get install -y libpq5
CMD ["node", "server.js"]
