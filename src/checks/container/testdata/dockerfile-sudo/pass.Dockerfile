FROM debian:bookworm-20240408-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libpq5 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 intake
USER 10001
CMD ["/usr/local/bin/intake"]
