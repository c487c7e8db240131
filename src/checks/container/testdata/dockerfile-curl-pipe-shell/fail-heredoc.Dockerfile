# syntax=docker/dockerfile:1.7
FROM python:3.12.3-slim
RUN <<EOF
set -eux
pip install --no-cache-dir fhir.resources==7.1.0
wget -qO- https://install.example-tools.dev/agent.sh | sudo -E sh
EOF
RUN ["sh", "-c", "curl -fsSL https://get.example.dev/cli | python3"]
USER 10001
