package dev.vmcp.sessions.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.HttpApi;
import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The REST API end to end on one pod with the embedded memory store: real HTTP in front,
 * real MCP servers behind (one answering JSON, one answering SSE).
 */
class SessionApiIntegrationTests {

	private static McpBackendServer alpha;

	private static McpBackendServer beta;

	private static TestPod pod;

	private static HttpApi api;

	@BeforeAll
	static void start() {
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		beta = McpBackendServer.start("beta", ResponseMode.SSE);
		pod = TestPod.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url", alpha.url(),
				"vmcp.backends[1].name", "beta", "vmcp.backends[1].url", beta.url(), "vmcp.backends[1].request-timeout",
				"1s", "vmcp.session.backend-retry-interval", "200ms"));
		api = pod.http();
	}

	@AfterAll
	static void stop() {
		pod.close();
		alpha.close();
		beta.close();
	}

	@Test
	void createOpensOneMcpSessionPerBackendAndHidesTheirIds() {
		int alphaBefore = alpha.initializeCount();
		int betaBefore = beta.initializeCount();
		Response created = api.post("/api/v1/sessions", "{\"metadata\":{\"team\":\"blue\"}}");
		assertThat(created.status()).isEqualTo(201);
		String id = created.sessionId();
		assertThat(created.header("Location")).hasValue("/api/v1/sessions/" + id);
		assertThat(created.header("ETag")).hasValue("\"2\"");
		JsonNode body = created.json();
		assertThat(body.get("state").asString()).isEqualTo("active");
		assertThat(body.get("metadata").get("team").asString()).isEqualTo("blue");
		assertThat(body.get("backends")).hasSize(2);
		body.get("backends").forEach((backend) -> {
			assertThat(backend.get("state").asString()).isEqualTo("connected");
			assertThat(backend.get("connectedAt").isNull()).isFalse();
		});
		assertThat(alpha.initializeCount()).isEqualTo(alphaBefore + 1);
		assertThat(beta.initializeCount()).isEqualTo(betaBefore + 1);
		for (String backendSessionId : alpha.liveSessionIds()) {
			assertThat(created.body()).doesNotContain(backendSessionId);
		}
		assertThat(created.body()).doesNotContain("anonymous").doesNotContain("owner");
	}

	@Test
	void createWithoutABodyJoinsEveryBackend() {
		Response created = api.postEmpty("/api/v1/sessions");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().get("backends")).hasSize(2);
	}

	@Test
	void createWithASubsetOfBackendsOpensOnlyThose() {
		int betaBefore = beta.initializeCount();
		Response created = api.post("/api/v1/sessions", "{\"backends\":[\"alpha\"]}");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().get("backends")).hasSize(1);
		assertThat(beta.initializeCount()).isEqualTo(betaBefore);
	}

	@Test
	void getReturnsTheSessionWithItsVersionAsETag() {
		String id = create();
		Response read = api.get("/api/v1/sessions/" + id);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().get("id").asString()).isEqualTo(id);
		assertThat(read.header("ETag")).hasValue("\"" + read.json().get("version").asLong() + "\"");
		// Sent in one piece with its length, not as a chunked stream.
		assertThat(read.header("Content-Length"))
			.hasValue(Integer.toString(read.body().getBytes(StandardCharsets.UTF_8).length));
		assertThat(read.header("Transfer-Encoding")).isEmpty();
	}

	@Test
	void metadataPatchMergesSetsAndRemovesKeys() {
		String id = api.post("/api/v1/sessions", "{\"metadata\":{\"keep\":\"1\",\"drop\":\"2\"}}").sessionId();
		Response patched = api.patch("/api/v1/sessions/" + id + "/metadata", "{\"drop\":null,\"add\":\"3\"}", Map.of());
		assertThat(patched.status()).isEqualTo(200);
		assertThat(api.get("/api/v1/sessions/" + id).json().get("metadata").properties()).extracting(Map.Entry::getKey)
			.containsExactlyInAnyOrder("keep", "add");
	}

	@Test
	void metadataPatchAcceptsPlainJson() {
		String id = create();
		Response patched = api.send("PATCH", "/api/v1/sessions/" + id + "/metadata", "{\"a\":\"b\"}",
				Map.of("Content-Type", "application/json"));
		assertThat(patched.status()).isEqualTo(200);
	}

	@Test
	void metadataPatchWithAStaleIfMatchIsRefusedWith412() {
		String id = create();
		Response read = api.get("/api/v1/sessions/" + id);
		String etag = read.header("ETag").orElseThrow();
		assertThat(
				api.patch("/api/v1/sessions/" + id + "/metadata", "{\"a\":\"1\"}", Map.of("If-Match", etag)).status())
			.isEqualTo(200);
		Response stale = api.patch("/api/v1/sessions/" + id + "/metadata", "{\"a\":\"2\"}", Map.of("If-Match", etag));
		assertProblem(stale, 412);
		assertThat(api.get("/api/v1/sessions/" + id).json().get("metadata").get("a").asString()).isEqualTo("1");
	}

	@Test
	void metadataOverTheSizeLimitIsRefusedWith413AndLosesNothing() {
		String id = api.post("/api/v1/sessions", "{\"metadata\":{\"kept\":\"yes\"}}").sessionId();
		String big = "x".repeat(17 * 1024);
		assertProblem(api.patch("/api/v1/sessions/" + id + "/metadata", "{\"big\":\"" + big + "\"}", Map.of()), 413);
		assertThat(api.get("/api/v1/sessions/" + id).json().get("metadata").get("kept").asString()).isEqualTo("yes");
	}

	@Test
	void badInputGetsAClearProblemNeverA5xx() {
		String id = create();
		assertProblem(api.get("/api/v1/sessions/not-an-id!"), 400);
		assertProblem(api.get("/api/v1/sessions/" + "a".repeat(129)), 400);
		assertProblem(api.get("/api/v1/sessions/short"), 400);
		assertProblem(api.patch("/api/v1/sessions/" + id + "/metadata", "{\"n\":1}", Map.of()), 400);
		assertProblem(api.patch("/api/v1/sessions/" + id + "/metadata", "{\"o\":{}}", Map.of()), 400);
		assertProblem(api.patch("/api/v1/sessions/" + id + "/metadata", "[1]", Map.of()), 400);
		assertProblem(api.patch("/api/v1/sessions/" + id + "/metadata", "{\"a\":", Map.of()), 400);
		assertProblem(api.patch("/api/v1/sessions/" + id + "/metadata", "{\"a\":\"1\"}", Map.of("If-Match", "3")), 400);
		assertProblem(
				api.send("PATCH", "/api/v1/sessions/" + id + "/metadata", "a=1", Map.of("Content-Type", "text/plain")),
				415);
		assertProblem(api.post("/api/v1/sessions", "{\"backends\":[\"nope\"]}"), 400);
		assertProblem(api.post("/api/v1/sessions", "{\"backends\":\"alpha\"}"), 400);
		assertProblem(api.post("/api/v1/sessions", "{\"unknown\":1}"), 400);
		assertProblem(api.post("/api/v1/sessions", "{\"metadata\":{\"a\":" + "x".repeat(70 * 1024) + "\"}}"), 413);
		assertProblem(api.send("POST", "/api/v1/sessions", "{}", Map.of("Content-Type", "application/xml")), 415);
		assertProblem(api.post("/api/v1/sessions/" + id + "/backends/nope/expired", ""), 400);
		assertThat(api.get("/api/v1/sessions/" + id).json().get("metadata").size()).isZero();
	}

	@Test
	void credentialsSentToTheAnonymousServiceAreRefused() {
		assertProblem(api.withBearer("some-token").postEmpty("/api/v1/sessions"), 401);
		String id = create();
		assertProblem(api.withBearer("some-token").get("/api/v1/sessions/" + id), 401);
		assertThat(api.get("/api/v1/sessions/" + id).status()).isEqualTo(200);
	}

	@Test
	void aBodyWithoutALengthIsCutOffAtTheLimitWith413() throws Exception {
		String big = "{\"metadata\":{\"a\":\"" + "x".repeat(200 * 1024) + "\"}}";
		HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.port() + "/api/v1/sessions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
			.build();
		HttpResponse<String> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(chunked, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

	@Test
	void duplicateBackendNamesAreRefused() {
		assertProblem(api.post("/api/v1/sessions", "{\"backends\":[\"alpha\",\"alpha\"]}"), 400);
	}

	@Test
	void unknownSessionIs404() {
		assertProblem(api.get("/api/v1/sessions/" + "A".repeat(43)), 404);
	}

	@Test
	void terminateEndsTheBackendSessionsAndIsIdempotent() {
		String id = create();
		int alphaDeletes = alpha.deleteCount();
		int betaDeletes = beta.deleteCount();
		assertThat(api.delete("/api/v1/sessions/" + id).status()).isEqualTo(204);
		assertProblem(api.get("/api/v1/sessions/" + id), 404);
		assertThat(api.delete("/api/v1/sessions/" + id).status()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
			assertThat(alpha.deleteCount()).isEqualTo(alphaDeletes + 1);
			assertThat(beta.deleteCount()).isEqualTo(betaDeletes + 1);
		});
		assertProblem(api.patch("/api/v1/sessions/" + id + "/metadata", "{\"a\":\"1\"}", Map.of()), 404);
		assertProblem(api.get("/api/v1/sessions/" + id), 404);
	}

	@Test
	void expiredBackendIsReinitializedOnNextUseWithANewConnectedAt() throws Exception {
		String id = create();
		JsonNode before = api.get("/api/v1/sessions/" + id).json();
		int initializes = alpha.initializeCount();
		Thread.sleep(5);
		assertThat(api.postEmpty("/api/v1/sessions/" + id + "/backends/alpha/expired").status()).isEqualTo(204);
		JsonNode after = api.get("/api/v1/sessions/" + id).json();
		assertThat(alpha.initializeCount()).isEqualTo(initializes + 1);
		assertThat(connectedAt(after, "alpha")).isNotEqualTo(connectedAt(before, "alpha"));
		assertThat(connectedAt(after, "beta")).isEqualTo(connectedAt(before, "beta"));
		assertThat(after.get("backends")).hasSize(2);
	}

	@Test
	void backendDownAtCreationFailsOnlyThatBackendAndReconnectsLater() {
		beta.stop();
		try {
			Response created = api.postEmpty("/api/v1/sessions");
			assertThat(created.status()).isEqualTo(201);
			assertThat(state(created.json(), "beta")).isEqualTo("failed");
			assertThat(state(created.json(), "alpha")).isEqualTo("connected");
			beta.restart();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(
						() -> assertThat(state(api.get("/api/v1/sessions/" + created.sessionId()).json(), "beta"))
							.isEqualTo("connected"));
		}
		finally {
			beta.restart();
		}
	}

	@Test
	void backendThatHangsFailsWithinItsTimeoutWithoutFailingTheSession() {
		int initializes = beta.initializeCount();
		beta.hang(true);
		try {
			long started = System.nanoTime();
			Response created = api.postEmpty("/api/v1/sessions");
			long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
			assertThat(created.status()).isEqualTo(201);
			assertThat(state(created.json(), "beta")).isEqualTo("failed");
			assertThat(elapsedMillis).isLessThan(3000);
		}
		finally {
			beta.hang(false);
			// The held initialize goes through once released; wait for it so that it
			// is not counted by another test.
			await().atMost(Duration.ofSeconds(2)).until(() -> beta.initializeCount() == initializes + 1);
		}
	}

	@Test
	void openApiAndActuatorAreServed() {
		assertThat(api.get("/v3/api-docs").body()).contains("/api/v1/sessions/{id}/metadata");
		assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
		create();
		JsonNode gauge = api.get("/actuator/metrics/vmcp.sessions.live").json();
		assertThat(gauge.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
		assertThat(api.get("/actuator/health").body()).doesNotContain("redis");
	}

	@Test
	void theApiMappingIsAskedBeforeTheActuatorsWhichStillAnswersItsOwnPaths() {
		List<HandlerMapping> mappings = pod.bean(DispatcherServlet.class).getHandlerMappings();
		assertThat(mappings).isNotNull();
		int apiMapping = indexOf(mappings, RequestMappingHandlerMapping.class);
		int actuatorMapping = indexOf(mappings, AbstractWebMvcEndpointHandlerMapping.class);
		int resourceMapping = indexOf(mappings, SimpleUrlHandlerMapping.class);
		assertThat(apiMapping).isLessThan(actuatorMapping);
		assertThat(actuatorMapping).isLessThan(resourceMapping);
		assertThat(api.get("/actuator/info").status()).isEqualTo(200);
		assertThat(api.get("/actuator/nothing-here").status()).isEqualTo(404);
	}

	/**
	 * A load balancer sends request after request on a connection it keeps: the pod keeps
	 * it for 1000 of them (server.tomcat.max-keep-alive-requests), not Tomcat's 100.
	 */
	@Test
	void aKeptAliveConnectionServesMoreThanAHundredRequests() throws IOException {
		String request = "GET /api/v1/sessions/" + create() + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
		try (Socket socket = new Socket("127.0.0.1", pod.port())) {
			socket.setSoTimeout(5_000);
			BufferedReader answers = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			for (int i = 1; i <= 150; i++) {
				socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
				assertThat(answers.readLine()).as("answer %d", i).isEqualTo("HTTP/1.1 200 ");
				int length = -1;
				for (String header = answers.readLine(); !header.isEmpty(); header = answers.readLine()) {
					assertThat(header).as("answer %d", i).isNotEqualToIgnoringCase("Connection: close");
					if (header.regionMatches(true, 0, "Content-Length: ", 0, 16)) {
						length = Integer.parseInt(header.substring(16).strip());
					}
				}
				assertThat(length).as("answer %d has a Content-Length", i).isPositive();
				assertThat(answers.skip(length)).isEqualTo(length);
			}
		}
	}

	private static int indexOf(List<HandlerMapping> mappings, Class<?> type) {
		return IntStream.range(0, mappings.size())
			.filter((index) -> type.isInstance(mappings.get(index)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " among " + mappings));
	}

	@Test
	void theMemoryStoreStartsNoRedisClient() {
		assertThatExceptionOfType(NoSuchBeanDefinitionException.class)
			.isThrownBy(() -> pod.bean(RedisConnectionFactory.class));
	}

	@Test
	void lifecycleAndStoreMetricsArePublishedForPrometheus() {
		String id = create();
		api.get("/api/v1/sessions/" + id);
		api.delete("/api/v1/sessions/" + id);
		String scrape = api.get("/actuator/prometheus").body();
		assertThat(scrape).contains("vmcp_sessions_creations_total")
			.contains("vmcp_sessions_terminations_total")
			.contains("vmcp_sessions_live")
			.containsPattern("vmcp_sessions_cache_requests_total\\{[^}]*result=\"hit\"")
			.containsPattern("vmcp_store_operation_seconds_count\\{[^}]*operation=\"load\",outcome=\"ok\"")
			.contains("resilience4j_timelimiter_calls");
	}

	private static String create() {
		return api.postEmpty("/api/v1/sessions").sessionId();
	}

	private static String connectedAt(JsonNode session, String backend) {
		return backend(session, backend).get("connectedAt").asString();
	}

	private static String state(JsonNode session, String backend) {
		return backend(session, backend).get("state").asString();
	}

	private static JsonNode backend(JsonNode session, String name) {
		for (JsonNode backend : session.get("backends")) {
			if (backend.get("name").asString().equals(name)) {
				return backend;
			}
		}
		throw new AssertionError("No backend " + name + " in " + session);
	}

	static void assertProblem(Response response, int status) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("status").asInt()).isEqualTo(status);
		assertThat(response.json().get("detail").asString()).isNotBlank();
	}

}
