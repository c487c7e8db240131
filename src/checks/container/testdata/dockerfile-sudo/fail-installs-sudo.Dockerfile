FROM eclipse-temurin:21.0.2_13-jre
RUN apt-get update && apt-get install -y --no-install-recommends sudo \
 && echo "hl7 ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/hl7
USER 10001
ENTRYPOINT ["java", "-jar", "/opt/hl7/engine.jar"]
