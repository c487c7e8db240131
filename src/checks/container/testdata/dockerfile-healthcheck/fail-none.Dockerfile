FROM eclipse-temurin:21.0.2_13-jre
COPY engine.jar /opt/hl7/engine.jar
USER 10001
HEALTHCHECK NONE
ENTRYPOINT ["java", "-jar", "/opt/hl7/engine.jar"]
