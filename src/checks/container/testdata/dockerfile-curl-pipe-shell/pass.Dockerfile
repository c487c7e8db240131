FROM python:3.12.3-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && curl -fsSLo /tmp/uv.sh https://astral.sh/uv/0.1.38/install.sh \
 && echo "5b6b2d8ee2b3c1c52f8d6c41ab22e3f04c19c0d9e4a4c1e8b5e1f8f7d2b6a9c3  /tmp/uv.sh" | sha256sum -c - \
 && sh /tmp/uv.sh \
 && curl -fsS https://status.example-clinic.org/health | grep -q ok \
 && rm -rf /var/lib/apt/lists/* /tmp/uv.sh
USER 10001
CMD ["python", "-m", "bridge"]
