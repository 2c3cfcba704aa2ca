package dev.vmcp.sessions.mcp;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.security.CallerResolver;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.HttpApi;
import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.NodeClient;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestIssuer;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.message;
import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens for this gateway only: a token of the trusted issuer that was issued for another
 * service is a 401 {@code invalid_token} on {@code /mcp} (2025 and 2026-07-28 requests
 * alike) and on {@code /api}; a token without a required scope is a 403
 * {@code insufficient_scope} naming the scopes to ask for. Both answers point at the
 * protected resource metadata, which names the audience as the resource. The TypeScript
 * SDK client, given a token as an application would pass it, reports both refusals.
 */
class McpTokenAudienceIntegrationTests {

	private static final String OTHER_SERVICE = "https://other-service.test/api";

	private static final List<String> REQUIRED = List.of("mcp:read", "mcp:call");

	private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
			+ "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
			+ "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

	private static final Map<String, String> MCP_HEADERS = Map.of("Content-Type", "application/json", "Accept",
			"application/json, text/event-stream");

	private static final NodeClient SDK_CLIENT = new NodeClient("clients/sdk-client.mjs", Duration.ofSeconds(90));

	private static TestIssuer issuer;

	private static McpBackendServer alpha;

	private static StatelessMcpServer gamma;

	private static TestPod pod;

	private static StatelessClient stateless;

	@BeforeAll
	static void start() {
		issuer = TestIssuer.create();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		gamma = StatelessMcpServer.start("gamma");
		Map<String, Object> properties = new LinkedHashMap<>(issuer.podProperties());
		properties.put("vmcp.jwt.required-scopes", String.join(",", REQUIRED));
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[1].name", "gamma");
		properties.put("vmcp.backends[1].url", gamma.url());
		pod = TestPod.start(properties);
		stateless = new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));
	}

	@AfterAll
	static void stop() {
		Closing.all(pod, alpha, gamma);
	}

	@Test
	void aTokenIssuedForAnotherServiceIsRefusedOnMcpInBothRevisionsAndOnTheApi() {
		String foreign = issuer.tokenFor(OTHER_SERVICE, "alice", REQUIRED.toArray(String[]::new));
		int listsBefore = gamma.received("tools/list").size();
		// Twice: a refused token is never remembered as verified, so the second request
		// is checked again and refused again.
		for (int attempt = 0; attempt < 2; attempt++) {
			assertInvalidToken(initialize(foreign));
			assertInvalidToken(statelessToolsList(foreign));
			assertInvalidToken(pod.http().withBearer(foreign).postEmpty("/api/v1/sessions"));
		}
		assertThat(gamma.received("tools/list")).hasSize(listsBefore);
	}

	@Test
	void aTokenIssuedForThisGatewayIsServedOnMcpInBothRevisionsAndOnTheApi() {
		String token = issuer.token("alice", REQUIRED.toArray(String[]::new));
		// Twice: the second time the token is a remembered one.
		for (int attempt = 0; attempt < 2; attempt++) {
			Response initialized = initialize(token);
			assertThat(initialized.status()).as(initialized.body()).isEqualTo(200);
			assertThat(initialized.header("Mcp-Session-Id")).isPresent();
			HttpResponse<String> listed = statelessToolsList(token);
			assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
			assertThat(message(listed).path("result")
				.path("tools")
				.values()
				.stream()
				.map((tool) -> tool.path("name").asString())).contains("alpha_echo");
			assertThat(pod.http().withBearer(token).postEmpty("/api/v1/sessions").status()).isEqualTo(201);
		}
	}

	@Test
	void aTokenWithoutARequiredScopeIsRefusedWithTheScopesToAskFor() {
		String readOnly = issuer.token("bob", "mcp:read");
		assertInsufficientScope(initialize(readOnly));
		assertInsufficientScope(statelessToolsList(readOnly));
		assertInsufficientScope(pod.http().withBearer(readOnly).postEmpty("/api/v1/sessions"));
	}

	@Test
	void anAdministratorNeedsTheRequiredScopesBesidesItsOwn() {
		String id = pod.http()
			.withBearer(issuer.token("carol", REQUIRED.toArray(String[]::new)))
			.postEmpty("/api/v1/sessions")
			.sessionId();
		HttpApi administrator = pod.http()
			.withBearer(issuer.token("ops", "mcp:read", "mcp:call", CallerResolver.ADMIN_SCOPE));
		assertThat(administrator.get("/api/v1/sessions/" + id).status()).isEqualTo(200);
		HttpApi adminScopeAlone = pod.http().withBearer(issuer.token("ops", CallerResolver.ADMIN_SCOPE));
		assertInsufficientScope(adminScopeAlone.get("/api/v1/sessions/" + id));
	}

	@Test
	void theProtectedResourceMetadataNamesTheAudienceAndTheScopes() {
		// At the root, where the challenges point, and with the path of /mcp appended,
		// the
		// first place an MCP client looks (RFC 9728, section 3.1)
		for (String path : List.of("/.well-known/oauth-protected-resource",
				"/.well-known/oauth-protected-resource/mcp")) {
			Response metadata = pod.http().get(path);
			assertThat(metadata.status()).as(path).isEqualTo(200);
			assertThat(metadata.json().get("resource").asString()).isEqualTo(TestIssuer.AUDIENCE);
			assertThat(metadata.json().get("scopes_supported").values().stream().map(JsonNode::asString))
				.contains("mcp:read", "mcp:call", CallerResolver.ADMIN_SCOPE);
		}
	}

	@Test
	void springBootsOwnAudiencesSufficeWithoutTheGatewaysProperty() {
		Map<String, Object> properties = new LinkedHashMap<>(issuer.podProperties());
		properties.remove("vmcp.jwt.audiences");
		properties.put("spring.security.oauth2.resourceserver.jwt.audiences", OTHER_SERVICE);
		try (TestPod other = TestPod.start(properties)) {
			assertThat(other.http()
				.withBearer(issuer.tokenFor(OTHER_SERVICE, "dave"))
				.postEmpty("/api/v1/sessions")
				.status()).isEqualTo(201);
			assertInvalidToken(other.http().withBearer(issuer.token("dave")).postEmpty("/api/v1/sessions"));
			assertThat(other.http().get("/.well-known/oauth-protected-resource").json().get("resource").asString())
				.isEqualTo(OTHER_SERVICE);
		}
	}

	@Test
	void theTypeScriptSdkClientReportsARefusedTokenAndTheScopesItLacks() {
		URI mcp = URI.create("http://127.0.0.1:" + pod.port() + "/mcp");
		String readOnly = issuer.token("erin", "mcp:read");
		String full = issuer.token("erin", REQUIRED.toArray(String[]::new));
		for (String mode : List.of("legacy", "2026-07-28")) {
			NodeClient.Run refused = SDK_CLIENT.run(mcp, mode, "list", readOnly);
			assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
			assertThat(refused.outcome().path("error").asString()).as(refused.toString())
				.contains("InsufficientScopeError", "required \"mcp:read mcp:call\"");

			NodeClient.Run foreign = SDK_CLIENT.run(mcp, mode, "list",
					issuer.tokenFor(OTHER_SERVICE, "erin", REQUIRED.toArray(String[]::new)));
			assertThat(foreign.exitCode()).as(foreign.toString()).isEqualTo(1);
			assertThat(foreign.outcome().path("data").path("status").asInt()).as(foreign.toString()).isEqualTo(401);

			NodeClient.Run served = SDK_CLIENT.run(mcp, mode, "list", full);
			assertThat(served.exitCode()).as(served.toString()).isZero();
			assertThat(served.outcome().path("protocolVersion").asString())
				.startsWith(mode.equals("legacy") ? "2025-" : "2026-07-28");
			assertThat(served.outcome().path("tools").values().stream().map(JsonNode::asString)).as(served.toString())
				.contains("alpha_echo");
		}
	}

	private static Response initialize(String token) {
		return pod.http().withBearer(token).send("POST", "/mcp", INITIALIZE, MCP_HEADERS);
	}

	private static HttpResponse<String> statelessToolsList(String token) {
		return stateless.send(request(2, "tools/list", "{}"), Map.of("Authorization", "Bearer " + token));
	}

	private static void assertInvalidToken(Response response) {
		assertRefusal(response.status(), response.header("WWW-Authenticate").orElse(""), 401);
		assertThat(response.header("WWW-Authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).startsWith("Bearer").contains("error=\"invalid_token\""));
	}

	private static void assertInvalidToken(HttpResponse<String> response) {
		assertInvalidToken(asResponse(response));
	}

	private static void assertInsufficientScope(Response response) {
		assertRefusal(response.status(), response.header("WWW-Authenticate").orElse(""), 403);
		assertThat(response.header("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer ")
				.contains("error=\"insufficient_scope\"", "scope=\"mcp:read mcp:call\""));
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains("mcp:read mcp:call");
	}

	private static void assertInsufficientScope(HttpResponse<String> response) {
		assertInsufficientScope(asResponse(response));
	}

	private static void assertRefusal(int status, String challenge, int expected) {
		assertThat(status).isEqualTo(expected);
		assertThat(challenge).containsPattern(
				"resource_metadata=\"http://127\\.0\\.0\\.1:\\d+/\\.well-known/oauth-protected-resource\"");
	}

	private static Response asResponse(HttpResponse<String> response) {
		return new Response(response.statusCode(), response.headers().map(), response.body());
	}

}
