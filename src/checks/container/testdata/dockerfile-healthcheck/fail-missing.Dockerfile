FROM python:3.12.3-slim
COPY bridge/ /opt/bridge/
USER 10001
CMD ["python", "-m", "bridge"]
