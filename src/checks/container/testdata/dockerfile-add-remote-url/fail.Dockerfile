FROM eclipse-temurin:21.0.2_13-jre
ADD https://repo1.maven.org/maven2/ca/uhn/hapi/hapi-base/2.5.1/hapi-base-2.5.1.jar /opt/hl7/lib/
ADD https://github.com/clinic/hl7-mappings.git#main /opt/hl7/mappings
USER 10001
CMD ["java", "-jar", "/opt/hl7/engine.jar"]
