FROM maven AS build
COPY . /src
RUN mvn -f /src/pom.xml package

FROM eclipse-temurin:latest
COPY --from=build /src/target/app.jar /app.jar
USER 10001
ENTRYPOINT ["java", "-jar", "/app.jar"]
