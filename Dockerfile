# syntax=docker/dockerfile:1

# --- build: the Maven wrapper builds the jar, then the jar is split into layers ---------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /workspace
# Dependencies first, so that a source change does not download them again.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -q -B dependency:go-offline
COPY src/ src/
RUN ./mvnw -q -B -DskipTests -Dspring-javaformat.skip=true -Djacoco.skip=true package \
 && java -Djarmode=tools -jar target/vmcp-sessions-*.jar extract --layers --application-filename application.jar --destination target/extracted

# --- base: a JRE, the layers from least to most often changed, a non-root user ------------
# JDK 25 for its AOT cache (below), which halves the start-up that JDK 21's CDS gave.
FROM eclipse-temurin:25-jre AS base
RUN groupadd --system --gid 10001 vmcp \
 && useradd --system --uid 10001 --gid vmcp --no-create-home --shell /usr/sbin/nologin vmcp
WORKDIR /app
COPY --from=build /workspace/target/extracted/dependencies/ ./
COPY --from=build /workspace/target/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/target/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/target/extracted/application/ ./
# A fixed heap (initial = maximum): G1 otherwise keeps it near its small initial size under
# load, with a young collection every few hundred requests (bench/README.md).
ENV JAVA_TOOL_OPTIONS="-XX:InitialRAMPercentage=75 -XX:MaxRAMPercentage=75"

# --- training: the AOT cache (docker/train.sh) ----------------------------------------------
# The application starts, serves its hot paths for a while on a Redis store (a private
# redis-server, as pods run in production) and stops; the JVM stores the classes it loaded
# and linked and the method profiles it gathered, so that every later start maps them
# instead of loading and verifying them again, and compiles its hot paths sooner
# (bench/startup.sh measures it). Redis stays in this stage; the image takes only the cache.
# The training runs on the base's files and options, which the cache must match.
FROM base AS training
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/*
COPY docker/train.sh ./
RUN bash train.sh

# --- runtime: the base and its AOT cache ----------------------------------------------------
FROM base AS runtime
COPY --from=training /app/application.aot ./
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-XX:AOTCache=application.aot", "-jar", "application.jar"]
