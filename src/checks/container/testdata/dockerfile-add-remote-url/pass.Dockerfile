# syntax=docker/dockerfile:1.7
FROM eclipse-temurin:21.0.2_13-jre
ADD --checksum=sha256:3c2a4f5e2d4b0e6f8a1c9d7b5e3f1a0c2e4d6b8a0c1e3f5a7b9d1c3e5f7a9b1d https://repo1.maven.org/maven2/ca/uhn/hapi/hapi-base/2.5.1/hapi-base-2.5.1.jar /opt/hl7/lib/
ADD https://github.com/clinic/hl7-mappings.git#4f2d9c1e8b7a6d5c4b3a2f1e0d9c8b7a6f5e4d3c /opt/hl7/mappings
COPY engine.jar /opt/hl7/
USER 10001
CMD ["java", "-jar", "/opt/hl7/engine.jar"]
