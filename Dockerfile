# syntax=docker/dockerfile:1

# --- build: the Maven wrapper builds the jar, then the jar is split into layers ---------
FROM eclipse-temurin:21-jdk AS build
WORKDIR /workspace
# Dependencies first, so that a source change does not download them again.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -q -B dependency:go-offline
COPY src/ src/
RUN ./mvnw -q -B -DskipTests -Dspring-javaformat.skip=true -Djacoco.skip=true package \
 && java -Djarmode=tools -jar target/vmcp-sessions-*.jar extract --layers --application-filename application.jar --destination target/extracted

# --- runtime: a JRE, the layers from least to most often changed, a non-root user ------
FROM eclipse-temurin:21-jre AS runtime
RUN groupadd --system --gid 10001 vmcp \
 && useradd --system --uid 10001 --gid vmcp --no-create-home --shell /usr/sbin/nologin vmcp
WORKDIR /app
COPY --from=build /workspace/target/extracted/dependencies/ ./
COPY --from=build /workspace/target/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/target/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/target/extracted/application/ ./
# CDS training run: start the context once and record the loaded classes, so that every
# later start maps them from the archive instead of loading and verifying them again.
RUN java -XX:ArchiveClassesAtExit=application.jsa -Dspring.context.exit=onRefresh -jar application.jar \
 && chown -R vmcp:vmcp /app
USER 10001:10001
EXPOSE 8080
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-XX:SharedArchiveFile=application.jsa", "-jar", "application.jar"]
