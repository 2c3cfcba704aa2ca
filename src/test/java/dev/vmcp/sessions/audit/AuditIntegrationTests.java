package dev.vmcp.sessions.audit;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.HttpApi;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RawMcpClient;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestIssuer;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.audit.CapturedAuditEvents.named;
import static dev.vmcp.sessions.testsupport.StatelessClient.message;
import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit events of a real pod in front of a 2025 member ({@code alpha}) and a
 * 2026-07-28 member ({@code beta}), for clients of both revisions and the REST API, read
 * from the console as the pod wrote them: one ECS JSON line per routed request and per
 * session start and end, with every field, and never an argument value.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditIntegrationTests {

	private static final String AUDIENCE = "vmcp-audit-tests";

	private static final String BINDING_SECRET = "audit-tests-binding-secret";

	/** An argument value that must never reach the audit. */
	private static final String SECRET_VALUE = "value-never-audited";

	private static final String TASKS = "\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":"
			+ "{\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}}";

	private static McpBackendServer alpha;

	private static StatelessMcpServer beta;

	private static TestIssuer issuer;

	@BeforeAll
	static void startMembers() {
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		beta = StatelessMcpServer.start("beta");
		issuer = TestIssuer.create();
	}

	@AfterAll
	static void stopMembers() {
		Closing.all(alpha, beta);
	}

	@Test
	void everyAuditedOperationOfBothRevisionsIsOneEcsEventWithoutArgumentValues(CapturedOutput output) {
		CapturedAuditEvents audit = new CapturedAuditEvents(output);
		Instant before = Instant.now();
		try (TestPod pod = TestPod.start(podProperties(Map.of()))) {
			sessionClient(pod, audit);
			statelessClient(pod, audit);
			restApi(pod, audit);
		}
		assertThat(audit.events()).hasSize(18).allSatisfy((event) -> assertEcsEvent(event, before));
		assertThat(audit.lines()).noneMatch((line) -> line.contains(SECRET_VALUE))
			.noneMatch((line) -> line.contains("arguments"));
	}

	@Test
	void aJwtCallerIsNamedByItsBindingWhenHashedAndItsArgumentsByTheirDigest(CapturedOutput output) {
		CapturedAuditEvents audit = new CapturedAuditEvents(output);
		String alice = "alice@audit.test";
		String bob = "bob@audit.test";
		try (TestPod pod = TestPod
			.start(jwtPodProperties(Map.of("vmcp.audit.subject", "hashed", "vmcp.audit.arguments", "digest")))) {
			StatelessClient client = new StatelessClient(mcpUrl(pod));
			String arguments = "{\"text\":\"" + SECRET_VALUE + "\",\"n\":1,\"nested\":{\"b\":true,\"a\":[2,\"x\"]}}";
			client.send(request(1, "tools/call", "{\"name\":\"beta_echo\",\"arguments\":" + arguments + "}"),
					bearer(alice));
			JsonNode call = audit.one("tools/call", named("beta_echo"));
			assertRouted(call, "beta");
			assertThat(call.at("/user/id").asString()).isEqualTo(binding(alice));
			assertThat(call.at("/user/domain").isMissingNode()).isTrue();
			String canonical = "{\"n\":1,\"nested\":{\"a\":[2,\"x\"],\"b\":true},\"text\":\"" + SECRET_VALUE + "\"}";
			assertThat(call.at("/vmcp/arguments/sha256").asString()).isEqualTo(sha256(canonical));

			String sessionId = pod.http().withBearer(token(alice)).postEmpty("/api/v1/sessions").sessionId();
			assertThat(pod.http().withBearer(token(bob)).delete("/api/v1/sessions/" + sessionId).status())
				.isEqualTo(404);
			JsonNode refused = audit.one("session-end", session(sessionId));
			assertOutcome(refused, "failure", "denied");
			assertThat(refused.at("/event/reason").asString()).isEqualTo("the session is bound to another caller");
			assertThat(refused.at("/user/id").asString()).isEqualTo(binding(bob));
			assertThat(pod.http().withBearer(token(alice)).get("/api/v1/sessions/" + sessionId).status())
				.isEqualTo(200);
		}
		assertThat(audit.lines()).noneMatch((line) -> line.contains(SECRET_VALUE))
			.noneMatch((line) -> line.contains(alice) || line.contains(bob));
	}

	@Test
	void aJwtCallerIsNamedByItsSubjectAndIssuerByDefault(CapturedOutput output) {
		CapturedAuditEvents audit = new CapturedAuditEvents(output);
		try (TestPod pod = TestPod.start(jwtPodProperties(Map.of()))) {
			HttpApi api = pod.http().withBearer(token("carol"));
			String sessionId = api.postEmpty("/api/v1/sessions").sessionId();
			JsonNode start = audit.one("session-start", session(sessionId));
			assertThat(start.at("/user/id").asString()).isEqualTo("carol");
			assertThat(start.at("/user/domain").asString()).isEqualTo(TestIssuer.ISSUER);
		}
	}

	@Test
	void requestsRefusedBeforeRoutingAreEventsOfTheirMethodWhenItIsAudited(CapturedOutput output) {
		CapturedAuditEvents audit = new CapturedAuditEvents(output);
		try (TestPod pod = TestPod.start(podProperties(Map.of()))) {
			assertThat(postMcp(pod, call("tools/call", "{\"name\":\"alpha_echo\"}"), Map.of()).status()).isEqualTo(400);
			JsonNode noSession = audit.one("tools/call", named("alpha_echo").and(outcome("refused")));
			assertRefused(noSession, "-32600", 400);
			assertThat(noSession.at("/event/reason").asString()).contains("Mcp-Session-Id header is required");
			assertThat(noSession.path("message").asString()).startsWith("tools/call alpha_echo: refused -32600");

			String unknown = "unknown-session-" + "y".repeat(20);
			assertThat(postMcp(pod, call("prompts/get", "{\"name\":\"greet\"}"), Map.of("Mcp-Session-Id", unknown))
				.status()).isEqualTo(404);
			assertRefused(audit.one("prompts/get", named("greet").and(outcome("refused"))), "-32001", 404);

			RawMcpClient client = new RawMcpClient();
			String sessionId = client.initialize(pod.port());
			assertThat(pod.http().send("DELETE", "/mcp", null, Map.of("Mcp-Session-Id", sessionId)).status())
				.isEqualTo(200);
			assertThat(client.post(pod.port(), call("tools/call", "{\"name\":\"whoami\"}")).statusCode())
				.isEqualTo(404);
			JsonNode terminated = audit.one("tools/call", named("whoami").and(outcome("refused")));
			assertRefused(terminated, "-32001", 404);
			assertThat(terminated.at("/event/reason").asString()).isEqualTo("session not found");

			HttpResponse<String> mismatch = new StatelessClient(mcpUrl(pod))
				.send(request(1, "tools/call", "{\"name\":\"beta_echo\"}"), Map.of("Mcp-Name", "beta_add"));
			assertThat(mismatch.statusCode()).isEqualTo(400);
			JsonNode header = audit.one("tools/call", named("beta_echo").and(outcome("refused")));
			assertRefused(header, "-32020", 400);
			assertThat(header.at("/event/reason").asString()).contains("Mcp-Name");

			// Not audited: a method that is not, and a message that could not be read
			assertThat(postMcp(pod, call("ping", "{}"), Map.of()).status()).isEqualTo(400);
			assertThat(postMcp(pod, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"", Map.of()).status())
				.isEqualTo(400);
			assertThat(audit.events()).filteredOn(outcome("refused")).hasSize(4);
		}
	}

	private static String call(String method, String params) {
		return "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"" + method + "\",\"params\":" + params + "}";
	}

	private static HttpApi.Response postMcp(TestPod pod, String body, Map<String, String> headers) {
		Map<String, String> all = new LinkedHashMap<>(headers);
		all.put("Content-Type", "application/json");
		all.put("Accept", "application/json, text/event-stream");
		return pod.http().send("POST", "/mcp", body, all);
	}

	private static void assertRefused(JsonNode event, String code, int httpStatus) {
		assertOutcome(event, "failure", "refused");
		assertThat(event.at("/error/code").asString()).isEqualTo(code);
		assertThat(event.at("/http/response/status_code").asInt()).isEqualTo(httpStatus);
		assertThat(event.at("/vmcp/member").isMissingNode()).isTrue();
		assertThat(event.at("/user/id").asString()).isEqualTo("anonymous");
		assertThat(event.at("/event/duration").asLong()).isPositive();
	}

	/** A 2025 client: its session's start and end, and what it asks in between. */
	private static void sessionClient(TestPod pod, CapturedAuditEvents audit) {
		RawMcpClient client = new RawMcpClient();
		String sessionId = client.initialize(pod.port());
		JsonNode start = audit.one("session-start", session(sessionId));
		assertOutcome(start, "success", "ok");
		assertThat(start.at("/vmcp/session/kind").asString()).isEqualTo("client");
		assertThat(start.at("/vmcp/member").isMissingNode()).isTrue();
		assertThat(start.at("/user/id").asString()).isEqualTo("anonymous");

		post(client, pod, "tools/call", "{\"name\":\"alpha_echo\",\"arguments\":{\"text\":\"" + SECRET_VALUE + "\"}}");
		assertRouted(audit.one("tools/call", named("alpha_echo")), "alpha");
		post(client, pod, "tools/call",
				"{\"name\":\"no_such_tool\",\"arguments\":{\"text\":\"" + SECRET_VALUE + "\"}}");
		JsonNode unknown = audit.one("tools/call", named("no_such_tool"));
		assertFailed(unknown, "-32602");
		assertThat(unknown.at("/vmcp/member").isMissingNode()).isTrue();
		post(client, pod, "prompts/get", "{\"name\":\"greet\",\"arguments\":{\"name\":\"" + SECRET_VALUE + "\"}}");
		assertRouted(audit.one("prompts/get", named("greet")), "alpha");
		post(client, pod, "resources/read", "{\"uri\":\"alpha://info\"}");
		assertRouted(audit.one("resources/read", named("alpha://info")), "alpha");

		HttpApi.Response deleted = pod.http().send("DELETE", "/mcp", null, Map.of("Mcp-Session-Id", sessionId));
		assertThat(deleted.status()).isEqualTo(200);
		JsonNode end = audit.one("session-end", session(sessionId));
		assertOutcome(end, "success", "ok");
		assertThat(end.at("/user/id").asString()).isEqualTo("anonymous");
	}

	/**
	 * A 2026-07-28 client: its requests, a member's own error, a task, and the caller
	 * session the gateway opens for it with the 2025 member.
	 */
	private static void statelessClient(TestPod pod, CapturedAuditEvents audit) {
		StatelessClient client = new StatelessClient(mcpUrl(pod));
		client.send(
				request(1, "tools/call", "{\"name\":\"beta_echo\",\"arguments\":{\"text\":\"" + SECRET_VALUE + "\"}}"));
		assertRouted(audit.one("tools/call", named("beta_echo")), "beta");
		client.send(request(2, "prompts/get", "{\"name\":\"greeting\"}"));
		assertRouted(audit.one("prompts/get", named("greeting")), "beta");
		client.send(request(3, "resources/read", "{\"uri\":\"stateless://beta/note\"}"));
		assertRouted(audit.one("resources/read", named("stateless://beta/note")), "beta");

		HttpResponse<String> refused = client.send(request(4, "tools/call", "{\"name\":\"slow_task\"}"));
		assertThat(message(refused).at("/error/code").asInt()).isEqualTo(-32021);
		JsonNode failed = audit.one("tools/call", named("slow_task").and(outcome("error")));
		assertFailed(failed, "-32021");
		assertThat(failed.at("/vmcp/member").asString()).isEqualTo("beta");

		String taskId = message(client.send(request(5, "tools/call", "{\"name\":\"slow_task\"," + TASKS + "}")))
			.at("/result/taskId")
			.asString();
		assertRouted(audit.one("tools/call", named("slow_task").and(outcome("ok"))), "beta");
		client.send(request(6, "tasks/get", "{\"taskId\":\"" + taskId + "\"," + TASKS + "}"));
		assertRouted(audit.one("tasks/get", named(taskId)), "beta");

		client.send(request(7, "tools/call", "{\"name\":\"whoami\"}"));
		assertRouted(audit.one("tools/call", named("whoami")), "alpha");
		// One caller session per declared capabilities: with and without the tasks
		// extension.
		assertThat(audit.events()).filteredOn((event) -> "caller".equals(event.at("/vmcp/session/kind").asString("")))
			.hasSize(2)
			.allSatisfy((event) -> {
				assertThat(event.at("/event/action").asString()).isEqualTo("session-start");
				assertOutcome(event, "success", "ok");
				assertThat(event.at("/vmcp/member").asString()).isEqualTo("alpha");
			});
	}

	/** Sessions of the REST API: created, terminated, and one that does not exist. */
	private static void restApi(TestPod pod, CapturedAuditEvents audit) {
		String sessionId = pod.http().postEmpty("/api/v1/sessions").sessionId();
		JsonNode start = audit.one("session-start", session(sessionId));
		assertOutcome(start, "success", "ok");
		assertThat(start.at("/vmcp/session/kind").asString()).isEqualTo("client");
		assertThat(pod.http().delete("/api/v1/sessions/" + sessionId).status()).isEqualTo(204);
		assertOutcome(audit.one("session-end", session(sessionId)), "success", "ok");

		String unknown = "unknown-session-" + "x".repeat(20);
		assertThat(pod.http().delete("/api/v1/sessions/" + unknown).status()).isEqualTo(404);
		assertFailed(audit.one("session-end", session(unknown)), "-32001");
	}

	/** What every event carries, as ECS has it. */
	private static void assertEcsEvent(JsonNode event, Instant before) {
		assertThat(event.at("/log/logger").asString()).isEqualTo("vmcp.audit");
		assertThat(event.at("/log/level").asString()).isEqualTo("INFO");
		assertThat(event.at("/ecs/version").asString()).isNotEmpty();
		assertThat(Instant.parse(event.path("@timestamp").asString())).isBetween(before, Instant.now());
		assertThat(event.at("/event/kind").asString()).isEqualTo("event");
		assertThat(event.at("/event/dataset").asString()).isEqualTo("vmcp.audit");
		assertThat(event.at("/event/duration").isIntegralNumber()).as(event.toString()).isTrue();
		assertThat(event.at("/event/duration").asLong()).isPositive();
		assertThat(event.at("/host/name").asString()).isEqualTo(AuditLog.podName());
		assertThat(event.at("/user/id").asString()).isEqualTo("anonymous");
		assertThat(event.path("message").asString()).startsWith(event.at("/event/action").asString());
	}

	private static void assertRouted(JsonNode event, String member) {
		assertOutcome(event, "success", "ok");
		assertThat(event.at("/vmcp/member").asString()).isEqualTo(member);
		assertThat(event.at("/error").isMissingNode()).isTrue();
	}

	private static void assertFailed(JsonNode event, String code) {
		assertOutcome(event, "failure", "error");
		assertThat(event.at("/error/code").asString()).isEqualTo(code);
	}

	private static void assertOutcome(JsonNode event, String ecsOutcome, String outcome) {
		assertThat(event.at("/event/outcome").asString()).as(event.toString()).isEqualTo(ecsOutcome);
		assertThat(event.at("/vmcp/outcome").asString()).isEqualTo(outcome);
	}

	private static Predicate<JsonNode> session(String sessionId) {
		String abbreviated = sessionId.substring(0, 8) + "…";
		return (event) -> abbreviated.equals(event.at("/vmcp/session/id").asString(""));
	}

	private static Predicate<JsonNode> outcome(String outcome) {
		return (event) -> outcome.equals(event.at("/vmcp/outcome").asString(""));
	}

	private static void post(RawMcpClient client, TestPod pod, String method, String params) {
		HttpResponse<String> response = client.post(pod.port(),
				"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":" + params + "}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private static Map<String, Object> podProperties(Map<String, Object> more) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("vmcp.session.binding-secret", BINDING_SECRET);
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[0].protocol", "2025");
		properties.put("vmcp.backends[1].name", "beta");
		properties.put("vmcp.backends[1].url", beta.url());
		properties.putAll(more);
		return properties;
	}

	private static Map<String, Object> jwtPodProperties(Map<String, Object> more) {
		Map<String, Object> properties = podProperties(more);
		properties.put("spring.security.oauth2.resourceserver.jwt.public-key-location", issuer.publicKeyLocation());
		properties.put("spring.security.oauth2.resourceserver.jwt.audiences", AUDIENCE);
		properties.put("vmcp.mcp.authorization-servers", TestIssuer.ISSUER);
		return properties;
	}

	private static URI mcpUrl(TestPod pod) {
		return URI.create("http://127.0.0.1:" + pod.port() + "/mcp");
	}

	private static String token(String subject) {
		return issuer.tokenFor(AUDIENCE, subject);
	}

	private static Map<String, String> bearer(String subject) {
		return Map.of("Authorization", "Bearer " + token(subject));
	}

	private static String binding(String subject) {
		return new OwnerBindings(BINDING_SECRET.getBytes(StandardCharsets.UTF_8)).bind(TestIssuer.ISSUER, subject);
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
