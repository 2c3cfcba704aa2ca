package dev.vmcp.sessions.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.TestIssuer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS on {@code /mcp}, over raw HTTP: preflights and requests of allowed origins get the
 * headers a browser needs, those of foreign origins a 403 without any, and the REST API
 * stays without CORS.
 */
class McpCorsIntegrationTests {

	private static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
			"capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

	private static final String EXACT_ORIGIN = "https://app.example:8443";

	private static McpBackendServer alpha;

	private static TestPod pod;

	private static TestPod jwtPod;

	@BeforeAll
	static void start() {
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.mcp.allowed-origins", "http://localhost," + EXACT_ORIGIN);
		pod = TestPod.start(properties);
		properties.putAll(TestIssuer.create().podProperties());
		jwtPod = TestPod.start(properties);
	}

	@AfterAll
	static void stop() {
		jwtPod.close();
		pod.close();
		alpha.close();
	}

	@Test
	void aPreflightOfAnAllowedOriginOnAnyPortIsAnswered() {
		Response preflight = preflight(pod, "http://localhost:51234", "POST",
				"content-type,mcp-session-id,mcp-protocol-version");

		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.header("Access-Control-Allow-Origin")).contains("http://localhost:51234");
		assertThat(values(preflight, "Access-Control-Allow-Methods")).containsExactlyInAnyOrder("GET", "POST",
				"DELETE");
		assertThat(values(preflight, "Access-Control-Allow-Headers")).containsExactlyInAnyOrder("content-type",
				"mcp-session-id", "mcp-protocol-version");
		assertThat(preflight.header("Access-Control-Max-Age")).contains("1800");
		assertThat(preflight.header("Access-Control-Allow-Credentials")).isEmpty();
		assertThat(values(preflight, "Vary")).contains("Origin");
	}

	@Test
	void aPreflightMayAskForEveryHeaderMcpDefines() {
		Response preflight = preflight(pod, "http://localhost", "GET",
				"accept,authorization,last-event-id,mcp-protocol-version,mcp-session-id");

		assertThat(preflight.status()).isEqualTo(200);
		assertThat(values(preflight, "Access-Control-Allow-Headers")).containsExactlyInAnyOrder("accept",
				"authorization", "last-event-id", "mcp-protocol-version", "mcp-session-id");
	}

	@Test
	void aPreflightOfA2026RequestMayAskForItsMethodNameAndParameterHeaders() {
		Response preflight = preflight(pod, "http://localhost:6274", "POST",
				"content-type,mcp-method,mcp-name,mcp-param-city,mcp-param-units,mcp-protocol-version");

		assertThat(preflight.status()).isEqualTo(200);
		assertThat(values(preflight, "Access-Control-Allow-Headers")).containsExactlyInAnyOrder("content-type",
				"mcp-method", "mcp-name", "mcp-param-city", "mcp-param-units", "mcp-protocol-version");
	}

	@Test
	void aPreflightForAnotherHeaderOrMethodIsRefused() {
		Response header = preflight(pod, "http://localhost:6274", "POST", "x-other");
		Response method = preflight(pod, "http://localhost:6274", "PUT", "content-type");
		// Spring answers with the headers it allows; the browser then refuses the request
		Response oneOfTwo = preflight(pod, "http://localhost:6274", "POST", "content-type,x-other");

		assertThat(header.status()).isEqualTo(403);
		assertThat(accessControlHeaders(header)).isEmpty();
		assertThat(method.status()).isEqualTo(403);
		assertThat(accessControlHeaders(method)).isEmpty();
		assertThat(values(oneOfTwo, "Access-Control-Allow-Headers")).containsExactly("content-type");
	}

	@Test
	void aRequestOfAnAllowedOriginMayReadTheSessionId() {
		Response initialize = pod.http().send("POST", "/mcp", INITIALIZE, mcpHeaders("http://localhost:6274"));

		assertThat(initialize.status()).isEqualTo(200);
		assertThat(initialize.header("Mcp-Session-Id")).isPresent();
		assertThat(initialize.header("Access-Control-Allow-Origin")).contains("http://localhost:6274");
		assertThat(values(initialize, "Access-Control-Expose-Headers")).containsExactlyInAnyOrder("Mcp-Session-Id",
				"WWW-Authenticate");
	}

	@Test
	void anOriginWithAPortIsAllowedOnThatPortOnly() {
		Response allowed = preflight(pod, EXACT_ORIGIN, "POST", "content-type");
		Response otherPort = preflight(pod, "https://app.example:9443", "POST", "content-type");
		Response noPort = preflight(pod, "https://app.example", "POST", "content-type");

		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.header("Access-Control-Allow-Origin")).contains(EXACT_ORIGIN);
		assertThat(otherPort.status()).isEqualTo(403);
		assertThat(accessControlHeaders(otherPort)).isEmpty();
		assertThat(noPort.status()).isEqualTo(403);
		assertThat(accessControlHeaders(noPort)).isEmpty();
	}

	@Test
	void aForeignOriginGetsA403WithoutCorsHeaders() {
		int initializeCount = alpha.initializeCount();

		Response preflight = preflight(pod, "http://evil.example", "POST", "content-type");
		Response initialize = pod.http().send("POST", "/mcp", INITIALIZE, mcpHeaders("http://evil.example"));
		Response otherScheme = pod.http().send("POST", "/mcp", INITIALIZE, mcpHeaders("https://localhost"));

		assertThat(preflight.status()).isEqualTo(403);
		assertThat(accessControlHeaders(preflight)).isEmpty();
		assertThat(initialize.status()).isEqualTo(403);
		assertThat(accessControlHeaders(initialize)).isEmpty();
		assertThat(initialize.header("Mcp-Session-Id")).isEmpty();
		assertThat(otherScheme.status()).isEqualTo(403);
		assertThat(accessControlHeaders(otherScheme)).isEmpty();
		assertThat(alpha.initializeCount()).isEqualTo(initializeCount);
	}

	@Test
	void theRestApiHasNoCors() {
		Response preflight = preflight(pod, "http://localhost:6274", "POST", "content-type");
		Response apiPreflight = pod.http()
			.send("OPTIONS", "/api/v1/sessions", null, Map.of("Origin", "http://localhost:6274",
					"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"));
		Response apiRequest = pod.http().send("GET", "/api/v1/sessions", null, Map.of("Origin", "http://localhost"));

		assertThat(accessControlHeaders(preflight)).isNotEmpty();
		assertThat(accessControlHeaders(apiPreflight)).isEmpty();
		assertThat(accessControlHeaders(apiRequest)).isEmpty();
	}

	@Test
	void withJwtsAPreflightNeedsNoTokenAndA401CanBeRead() {
		Response preflight = preflight(jwtPod, "http://localhost:6274", "POST", "authorization,content-type");
		Response unauthenticated = jwtPod.http().send("POST", "/mcp", INITIALIZE, mcpHeaders("http://localhost:6274"));

		assertThat(preflight.status()).isEqualTo(200);
		assertThat(values(preflight, "Access-Control-Allow-Headers")).containsExactlyInAnyOrder("authorization",
				"content-type");
		assertThat(unauthenticated.status()).isEqualTo(401);
		assertThat(unauthenticated.header("WWW-Authenticate").orElse("")).contains("resource_metadata=");
		assertThat(unauthenticated.header("Access-Control-Allow-Origin")).contains("http://localhost:6274");
		assertThat(values(unauthenticated, "Access-Control-Expose-Headers")).contains("WWW-Authenticate");
	}

	private static Response preflight(TestPod target, String origin, String method, String headers) {
		return target.http()
			.send("OPTIONS", "/mcp", null, Map.of("Origin", origin, "Access-Control-Request-Method", method,
					"Access-Control-Request-Headers", headers));
	}

	private static Map<String, String> mcpHeaders(String origin) {
		return Map.of("Origin", origin, "Content-Type", "application/json", "Accept",
				"application/json, text/event-stream");
	}

	/** Every value of a header, comma-separated lists and repeated headers alike. */
	private static List<String> values(Response response, String name) {
		return response.headers()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
			.flatMap((entry) -> entry.getValue().stream())
			.flatMap((value) -> List.of(value.split(",")).stream())
			.map(String::strip)
			.toList();
	}

	private static List<String> accessControlHeaders(Response response) {
		return response.headers()
			.keySet()
			.stream()
			.filter((name) -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"))
			.toList();
	}

}
