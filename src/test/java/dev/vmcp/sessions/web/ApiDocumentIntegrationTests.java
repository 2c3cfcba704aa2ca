package dev.vmcp.sessions.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.info.BuildProperties;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;
import dev.vmcp.sessions.testsupport.TestIssuer;

import static dev.vmcp.sessions.web.ApiRequest.delete;
import static dev.vmcp.sessions.web.ApiRequest.get;
import static dev.vmcp.sessions.web.ApiRequest.patch;
import static dev.vmcp.sessions.web.ApiRequest.post;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The API document tells the truth: a pod on real Redis, with one reachable and one
 * unreachable backend, answers real requests over real HTTP for every operation and every
 * status it can be brought to, and each request and response is checked against the
 * document that pod serves ({@link DocumentedApi}). A second pod with an identity
 * provider checks what the document says about bearer tokens.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiDocumentIntegrationTests {

	private static final String SESSIONS = "/api/v1/sessions";

	private static final String UNKNOWN_ID = "A".repeat(43);

	/**
	 * Documented responses no request here provokes, and why: each is either provoked
	 * elsewhere or not yet reachable. Anything documented and not listed must be seen.
	 */
	private static final Map<String, String> NOT_PROVOKED_HERE = Map.ofEntries(
			entry(DocumentedApi.key("POST", SESSIONS, 409),
					"a terminate racing the create (SessionRaceIntegrationTests, below HTTP)"),
			entry(DocumentedApi.key("PATCH", SESSIONS + "/{id}/metadata", 409),
					"16 writers in a row winning the race: not provoked by any test"),
			entry(DocumentedApi.key("POST", SESSIONS + "/{id}/backends/{backend}/expired", 409),
					"16 writers in a row winning the race: not provoked by any test"));

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static TestIssuer issuer;

	private static TestPod pod;

	private static TestPod jwtPod;

	private static DocumentedApi api;

	private static DocumentedApi jwtApi;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		issuer = TestIssuer.create();
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(redis.port()));
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		// Nothing listens there: sessions show it as failed, with no connectedAt.
		properties.put("vmcp.backends[1].name", "offline");
		properties.put("vmcp.backends[1].url", "http://127.0.0.1:" + RedisServerProcess.freePort() + "/mcp");
		pod = TestPod.start(properties);
		properties.putAll(issuer.podProperties());
		// Two live sessions per caller, three creations at once, then one every five
		// seconds.
		properties.put("vmcp.session.max-per-caller", 2);
		properties.put("vmcp.session.create-rate.burst", 3);
		properties.put("vmcp.session.create-rate.per-second", 0.2);
		jwtPod = TestPod.start(properties);
		api = DocumentedApi.of(pod);
		jwtApi = DocumentedApi.of(jwtPod);
	}

	@AfterAll
	static void stop() {
		jwtPod.close();
		pod.close();
		alpha.close();
		redis.close();
	}

	@Test
	void theDocumentNamesTheServiceAndTheVersionOfItsBuild() {
		assertThat(api.document().get("openapi").asString()).startsWith("3.0.");
		JsonNode info = api.document().get("info");
		assertThat(info.get("title").asString()).isEqualTo("vmcp-sessions");
		assertThat(info.get("version").asString()).isEqualTo(pod.bean(BuildProperties.class).getVersion())
			.isNotEqualTo("dev");
		assertThat(info.get("description").asString()).contains("/mcp")
			.contains("https://modelcontextprotocol.io/specification");
		assertThat(api.document().get("paths").propertyNames()).allMatch((path) -> path.startsWith(SESSIONS));
	}

	@Test
	void theDocumentDeclaresTheBearerJwtSchemeAndEveryJwtDeploymentRequiresIt() {
		for (DocumentedApi documented : List.of(api, jwtApi)) {
			JsonNode scheme = documented.document().at("/components/securitySchemes/bearer-jwt");
			assertThat(scheme.get("type").asString()).isEqualTo("http");
			assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
			assertThat(scheme.get("bearerFormat").asString()).isEqualTo("JWT");
			assertThat(scheme.get("description").asString()).contains("sessions:admin");
		}
		assertThat(api.document().has("security")).isFalse();
		assertThat(jwtApi.document().at("/security/0/bearer-jwt").isArray()).isTrue();
	}

	@Test
	void createAnswersAsDocumented() {
		Response created = api.conforming(201, post(SESSIONS).json("{\"metadata\":{\"team\":\"blue\"}}"));
		assertThat(created.header("Location")).hasValue(SESSIONS + "/" + created.sessionId());
		assertThat(backendStates(created)).containsExactly("connected", "failed");
		api.conforming(201, post(SESSIONS));
		api.conforming(201, post(SESSIONS).json("{\"backends\":[\"alpha\"]}"));
		api.conforming(400, post(SESSIONS).json("{\"backends\":[\"nope\"]}"));
		api.refused(400, post(SESSIONS).json("{\"unknown\":1}"));
		api.refused(400, post(SESSIONS).json("{\"metadata\":{\"n\":1}}"));
		api.conforming(400, post(SESSIONS).json("{\"metadata\":{\" \":\"blank key\"}}"));
		api.refused(400, post(SESSIONS).json("{\"backends\":\"alpha\"}"));
		api.refused(400, post(SESSIONS).json("{\"backends\":[\"alpha\",\"alpha\"]}"));
		api.refused(400, post(SESSIONS).json("{\"metadata\":"));
		api.conforming(413, post(SESSIONS).json("{\"metadata\":{\"a\":\"" + "x".repeat(70 * 1024) + "\"}}"));
		api.refused(415, post(SESSIONS).body("application/xml", "<session/>"));
		api.conforming(401, post(SESSIONS).header("Authorization", "Bearer unverifiable"));
	}

	@Test
	void readAnswersAsDocumented() {
		String id = create();
		Response read = api.conforming(200, get(SESSIONS + "/" + id));
		String etag = read.header("ETag").orElseThrow();
		Response unchanged = api.conforming(304, get(SESSIONS + "/" + id).header("If-None-Match", etag));
		assertThat(unchanged.header("ETag")).hasValue(etag);
		api.conforming(200, get(SESSIONS + "/" + id).header("If-None-Match", "\"1\""));
		api.conforming(404, get(SESSIONS + "/" + UNKNOWN_ID));
		api.refused(400, get(SESSIONS + "/not-an-id!"));
		api.refused(400, get(SESSIONS + "/short"));
		api.refused(400, get(SESSIONS + "/" + "a".repeat(129)));
		api.conforming(401, get(SESSIONS + "/" + id).header("Authorization", "Bearer unverifiable"));
	}

	@Test
	void metadataPatchAnswersAsDocumented() {
		String id = create();
		String metadata = SESSIONS + "/" + id + "/metadata";
		Response patched = api.conforming(200, patch(metadata, "{\"team\":\"red\",\"drop\":null}"));
		String etag = patched.header("ETag").orElseThrow();
		api.conforming(200, patch(metadata, "{\"a\":\"1\"}").header("If-Match", etag));
		Response stale = api.conforming(412, patch(metadata, "{\"a\":\"2\"}").header("If-Match", etag));
		assertThat(stale.json().get("currentVersion").asLong()).isGreaterThan(0);
		api.conforming(200, patch(metadata, "{\"a\":\"3\"}").header("If-Match", "*"));
		api.conforming(200, patch(metadata, "{}").body("application/json", "{\"b\":\"1\"}"));
		api.refused(400, patch(metadata, "{\"a\":\"1\"}").header("If-Match", "3"));
		api.refused(400, patch(metadata, "{\"n\":1}"));
		api.refused(400, patch(metadata, "{\"o\":{}}"));
		api.refused(400, patch(metadata, "[1]"));
		api.refused(400, patch(metadata, "{\"a\":"));
		api.refused(415, patch(metadata, "{}").body("text/plain", "a=1"));
		api.conforming(413, patch(metadata, "{\"big\":\"" + "x".repeat(17 * 1024) + "\"}"));
		api.conforming(413, patch(metadata, "{\"big\":\"" + "x".repeat(70 * 1024) + "\"}"));
		api.conforming(404, patch(SESSIONS + "/" + UNKNOWN_ID + "/metadata", "{\"a\":\"1\"}"));
		api.refused(400, patch(SESSIONS + "/short/metadata", "{\"a\":\"1\"}"));
		api.conforming(401, patch(metadata, "{\"a\":\"1\"}").header("Authorization", "Bearer unverifiable"));
	}

	@Test
	void terminateAnswersAsDocumented() {
		String id = create();
		api.conforming(401, delete(SESSIONS + "/" + id).header("Authorization", "Bearer unverifiable"));
		api.conforming(204, delete(SESSIONS + "/" + id));
		api.conforming(204, delete(SESSIONS + "/" + id));
		api.conforming(404, get(SESSIONS + "/" + id));
		api.conforming(404, delete(SESSIONS + "/" + UNKNOWN_ID));
		api.refused(400, delete(SESSIONS + "/short"));
	}

	@Test
	void backendExpiredAnswersAsDocumented() {
		String id = api.conforming(201, post(SESSIONS).json("{\"backends\":[\"alpha\"]}")).sessionId();
		String backends = SESSIONS + "/" + id + "/backends/";
		api.conforming(204, post(backends + "alpha/expired"));
		api.conforming(404, post(backends + "offline/expired"));
		api.conforming(400, post(backends + "nope/expired"));
		api.conforming(404, post(SESSIONS + "/" + UNKNOWN_ID + "/backends/alpha/expired"));
		api.refused(400, post(SESSIONS + "/short/backends/alpha/expired"));
		api.conforming(401, post(backends + "alpha/expired").header("Authorization", "Bearer unverifiable"));
	}

	@Test
	void everyOperationAnswersAnUnavailableStoreAsDocumented() {
		String id = create();
		String session = SESSIONS + "/" + id;
		redis.kill();
		try {
			for (ApiRequest request : List.of(post(SESSIONS), get(session), patch(session + "/metadata", "{}"),
					delete(session), post(session + "/backends/alpha/expired"))) {
				assertThat(api.conforming(503, request).header("Retry-After")).hasValue("1");
			}
		}
		finally {
			redis.restart();
		}
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(pod.http().postEmpty(SESSIONS).status()).isEqualTo(201));
	}

	@Test
	void aJwtDeploymentAnswersAsItsDocumentSays() {
		Response refused = jwtApi.refused(401, post(SESSIONS));
		assertThat(refused.header("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer").contains("resource_metadata="));
		jwtApi.conforming(401, post(SESSIONS).header("Authorization", "Bearer not-a-jwt"));
		String alice = "Bearer " + issuer.token("alice");
		String id = jwtApi.conforming(201, post(SESSIONS).header("Authorization", alice)).sessionId();
		jwtApi.conforming(404, get(SESSIONS + "/" + id).header("Authorization", "Bearer " + issuer.token("mallory")));
		jwtApi.conforming(200,
				get(SESSIONS + "/" + id).header("Authorization", "Bearer " + issuer.token("root", "sessions:admin")));
	}

	@Test
	void aCallerBeyondItsLimitsIsAnsweredAsDocumented() {
		String quinn = "Bearer " + issuer.token("quinn");
		jwtApi.conforming(201, post(SESSIONS).header("Authorization", quinn));
		jwtApi.conforming(201, post(SESSIONS).header("Authorization", quinn));
		Response full = jwtApi.conforming(429, post(SESSIONS).header("Authorization", quinn));
		assertThat(full.json().get("limit").asInt()).isEqualTo(2);
		// Each attempt takes its turn at the rate, refused or not.
		Response tooFast = jwtApi.conforming(429, post(SESSIONS).header("Authorization", quinn));
		assertThat(tooFast.json().get("title").asString()).isEqualTo("Too many session creations");
	}

	@Test
	void aResponseTheDocumentDoesNotDescribeFailsTheCheck() {
		ApiRequest read = get(SESSIONS + "/" + UNKNOWN_ID);
		Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> api.assertDocumented(read, new Response(418, json, "{}")))
			.withMessageContaining("418");
		String session = api.conforming(200, get(SESSIONS + "/" + create())).body();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> api.assertDocumented(read,
				new Response(200, json, session.replaceFirst("\\{", "{\"owner\":\"anonymous\","))));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> api.assertDocumented(read, new Response(200, Map.of(), session)));
	}

	@Test
	void everyExampleInTheDocumentIsWhatTheDocumentDescribes() {
		assertThat(api.assertExamplesConform()).as("examples checked").isGreaterThanOrEqualTo(30);
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void everyDocumentedResponseWasProvokedOrIsExplained() {
		Set<String> documented = api.documentedResponses();
		Set<String> seen = new TreeSet<>(api.seenResponses());
		seen.addAll(jwtApi.seenResponses());
		Set<String> unexplained = new TreeSet<>(documented);
		unexplained.removeAll(seen);
		unexplained.removeAll(NOT_PROVOKED_HERE.keySet());
		assertThat(unexplained).as("documented, but no request here provoked them").isEmpty();
		assertThat(NOT_PROVOKED_HERE.keySet()).as("explained as not provoked here, but not documented")
			.allMatch(documented::contains)
			.as("explained as not provoked here, but provoked: drop them from the list")
			.noneMatch(seen::contains);
	}

	private static String create() {
		return api.conforming(201, post(SESSIONS)).sessionId();
	}

	private static List<String> backendStates(Response session) {
		return session.json().get("backends").valueStream().map((backend) -> backend.get("state").asString()).toList();
	}

}
