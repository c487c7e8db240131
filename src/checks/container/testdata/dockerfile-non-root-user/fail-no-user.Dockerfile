# Lab results importer: no USER, so it runs as python's default user (root).
FROM python:3.12.3-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY importer/ ./importer/
CMD ["python", "-m", "importer"]
