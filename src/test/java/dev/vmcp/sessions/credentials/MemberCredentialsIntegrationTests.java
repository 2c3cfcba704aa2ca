package dev.vmcp.sessions.credentials;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.FilterChainProxy;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.AuthorizationServer;
import dev.vmcp.sessions.testsupport.BearerCheck;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members reached with tokens of their own, from a real authorization server (Spring
 * Authorization Server, started here) that also issues the callers' tokens: alpha (a 2025
 * member) and beta (a 2026-07-28 member) with the caller's identity, by token exchange;
 * gamma (2026-07-28) with the gateway's own, by client credentials. Each member checks
 * that a token is meant for it (its audience) and answers {@code subject} with the
 * token's subject.
 */
class MemberCredentialsIntegrationTests {

	private static final String GATEWAY_AUDIENCE = "vmcp-gateway";

	private static final String ALPHA_AUDIENCE = "alpha-mcp";

	private static final String BETA_RESOURCE = "https://beta.members.test/mcp";

	private static final String GAMMA_AUDIENCE = "gamma-mcp";

	private static final String GATEWAY_CLIENT = "vmcp-gateway";

	private static final String GATEWAY_SECRET = "gateway-secret";

	/** Beta's own client of the gateway's, so that its secret can change alone. */
	private static final String BETA_CLIENT = "vmcp-gateway-beta";

	private static final String BETA_SECRET = "beta-secret";

	private static final Map<String, String> MCP_HEADERS = Map.of("Content-Type", "application/json", "Accept",
			"application/json, text/event-stream");

	private static AuthorizationServer server;

	private static BearerCheck alphaCheck;

	private static BearerCheck betaCheck;

	private static BearerCheck gammaCheck;

	private static McpBackendServer alpha;

	private static StatelessMcpServer beta;

	private static StatelessMcpServer gamma;

	private TestPod podA;

	private TestPod podB;

	private String alice;

	private String bob;

	@BeforeAll
	static void startServerAndMembers() {
		server = AuthorizationServer.start(
				AuthorizationServer.client(GATEWAY_CLIENT, GATEWAY_SECRET, AuthorizationGrantType.CLIENT_CREDENTIALS,
						AuthorizationGrantType.TOKEN_EXCHANGE),
				AuthorizationServer.client(BETA_CLIENT, BETA_SECRET, AuthorizationGrantType.TOKEN_EXCHANGE),
				AuthorizationServer.client("alice", "alice-secret", AuthorizationGrantType.CLIENT_CREDENTIALS),
				AuthorizationServer.client("bob", "bob-secret", AuthorizationGrantType.CLIENT_CREDENTIALS));
		alphaCheck = new BearerCheck(server, ALPHA_AUDIENCE);
		betaCheck = new BearerCheck(server, BETA_RESOURCE);
		gammaCheck = new BearerCheck(server, GAMMA_AUDIENCE);
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON, alphaCheck);
		beta = StatelessMcpServer.start("beta", betaCheck);
		gamma = StatelessMcpServer.start("gamma", gammaCheck);
	}

	@AfterAll
	static void stopServerAndMembers() {
		Closing.all(alpha, beta, gamma, server);
	}

	@BeforeEach
	void startPods() {
		this.podA = TestPod.start(gatewayProperties(GATEWAY_SECRET));
		this.podB = TestPod.start(gatewayProperties(GATEWAY_SECRET));
		this.alice = server.clientCredentialsToken("alice", "alice-secret", GATEWAY_AUDIENCE);
		this.bob = server.clientCredentialsToken("bob", "bob-secret", GATEWAY_AUDIENCE);
	}

	@AfterEach
	void stopPods() {
		Closing.all(this.podA, this.podB);
	}

	@Test
	void eachMemberGetsATokenOfItsOwnAndNeverTheCallers() {
		int listsBefore = beta.received("tools/list").size();

		assertThat(subject(this.podA, this.alice, "alpha_subject")).isEqualTo("sub=alice");
		assertThat(subject(this.podA, this.alice, "beta_subject")).isEqualTo("sub=alice");
		assertThat(subject(this.podA, this.alice, "gamma_subject")).isEqualTo("sub=" + GATEWAY_CLIENT);
		assertThat(subject(this.podA, this.bob, "alpha_subject")).isEqualTo("sub=bob");
		assertThat(subject(this.podA, this.bob, "beta_subject")).isEqualTo("sub=bob");
		assertThat(subject(this.podA, this.bob, "gamma_subject")).isEqualTo("sub=" + GATEWAY_CLIENT);

		for (BearerCheck member : List.of(alphaCheck, betaCheck, gammaCheck)) {
			assertThat(member.received()).isNotEmpty()
				.noneMatch((authorization) -> authorization.contains(this.alice) || authorization.contains(this.bob));
		}
		assertThat(server.exchangesOf(this.alice)).extracting(AuthorizationServer.TokenRequest::clientId)
			.containsOnly(GATEWAY_CLIENT, BETA_CLIENT);
		// A member that knows who calls may list differently for each: its lists are not
		// shared between callers
		List<StatelessMcpServer.Received> lists = beta.received("tools/list");
		assertThat(lists.subList(listsBefore, lists.size())).extracting((list) -> list.header("Authorization"))
			.doesNotHaveDuplicates()
			.hasSize(2);
	}

	@Test
	void theSecurityFiltersHaveNoneOfTheOAuthClientsOwn() {
		List<Class<?>> filters = this.podA.bean(FilterChainProxy.class)
			.getFilterChains()
			.stream()
			.flatMap((chain) -> chain.getFilters().stream())
			.<Class<?>>map(Object::getClass)
			.toList();

		assertThat(filters).contains(BearerTokenAuthenticationFilter.class)
			.noneMatch((filter) -> filter.getPackageName().startsWith("org.springframework.security.oauth2.client"));
	}

	@Test
	void aCallerCostsOneExchangePerMemberOnEachPod() {
		int clientCredentialsBefore = gammaTokenRequests();
		for (TestPod pod : List.of(this.podA, this.podB, this.podA, this.podB)) {
			assertThat(subject(pod, this.alice, "beta_subject")).isEqualTo("sub=alice");
			assertThat(subject(pod, this.alice, "alpha_subject")).isEqualTo("sub=alice");
			assertThat(subject(pod, this.bob, "beta_subject")).isEqualTo("sub=bob");
		}

		assertThat(server.exchangesOf(this.alice)).filteredOn((exchange) -> exchange.isFor(BETA_RESOURCE)).hasSize(2);
		assertThat(server.exchangesOf(this.alice)).filteredOn((exchange) -> exchange.isFor(ALPHA_AUDIENCE)).hasSize(2);
		assertThat(server.exchangesOf(this.bob)).filteredOn((exchange) -> exchange.isFor(BETA_RESOURCE)).hasSize(2);
		// The gateway's own token for gamma: one per pod, whoever calls
		assertThat(gammaTokenRequests() - clientCredentialsBefore).isEqualTo(2);
	}

	@Test
	void aMemberThatRefusesItsTokenIsAskedOnceMoreWithANewOne() {
		Session session = initialize(this.podA, this.alice);
		assertThat(session.subject("alpha_subject")).isEqualTo("sub=alice");
		assertThat(subject(this.podA, this.alice, "beta_subject")).isEqualTo("sub=alice");
		int alphaRefusals = alphaCheck.refusals();
		int betaRefusals = betaCheck.refusals();
		int exchanges = server.exchangesOf(this.alice).size();

		alphaCheck.forgetAcceptedTokens();
		betaCheck.forgetAcceptedTokens();

		assertThat(session.subject("alpha_subject")).isEqualTo("sub=alice");
		assertThat(subject(this.podA, this.alice, "beta_subject")).isEqualTo("sub=alice");
		assertThat(alphaCheck.refusals()).isEqualTo(alphaRefusals + 1);
		assertThat(betaCheck.refusals()).isEqualTo(betaRefusals + 1);
		assertThat(server.exchangesOf(this.alice)).hasSize(exchanges + 2);
	}

	@Test
	void aMemberWhoseTokenCannotBeHadIsAnErrorNamingItAndTheOthersWork() {
		assertThat(subject(this.podA, this.alice, "beta_subject")).isEqualTo("sub=alice");
		server.changeSecret(BETA_CLIENT, "rotated-secret");
		try {
			betaCheck.forgetAcceptedTokens();

			JsonNode refused = call(this.podA, this.alice, "beta_subject");

			assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32010);
			assertThat(refused.path("error").path("message").asString()).startsWith("Backend beta: ")
				.contains("token exchange at " + server.tokenUri())
				.contains("): [invalid_client]");
			assertThat(subject(this.podA, this.alice, "alpha_subject")).isEqualTo("sub=alice");
			assertThat(subject(this.podA, this.alice, "gamma_subject")).isEqualTo("sub=" + GATEWAY_CLIENT);
		}
		finally {
			server.changeSecret(BETA_CLIENT, BETA_SECRET);
		}
	}

	@Test
	void aWrongClientSecretLeavesThatMemberOutOfASessionAsAMemberThatIsDown() {
		try (TestPod misconfigured = TestPod.start(gatewayProperties("wrong-secret"))) {
			Session session = initialize(misconfigured, this.alice);

			assertThat(session.toolNames()).contains("beta_subject", "gamma_subject")
				.noneMatch((name) -> name.startsWith("alpha_"));
			assertThat(session.subject("beta_subject")).isEqualTo("sub=alice");
			Response view = misconfigured.http().withBearer(this.alice).get("/api/v1/sessions/" + session.id());
			assertThat(view.json().path("backends").findValuesAsString("state")).containsExactly("failed", "connected",
					"connected");
		}
	}

	private int gammaTokenRequests() {
		return (int) server.tokenRequests()
			.stream()
			.filter((request) -> request.grantType().equals("client_credentials") && request.isFor(GAMMA_AUDIENCE))
			.count();
	}

	/** The text a 2026-07-28 client gets from the tool. */
	private static String subject(TestPod pod, String token, String tool) {
		JsonNode answer = call(pod, token, tool);
		assertThat(answer.has("result")).as("answer to %s: %s", tool, answer).isTrue();
		return answer.path("result").path("content").path(0).path("text").asString();
	}

	private static JsonNode call(TestPod pod, String token, String tool) {
		StatelessClient client = new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));
		HttpResponse<String> response = client.send(request(1, "tools/call", "{\"name\":\"" + tool + "\"}"),
				Map.of("Authorization", "Bearer " + token));
		return StatelessClient.message(response);
	}

	private static Session initialize(TestPod pod, String token) {
		Response initialized = pod.http()
			.withBearer(token)
			.send("POST", "/mcp",
					"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
							+ "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
					MCP_HEADERS);
		assertThat(initialized.status()).isEqualTo(200);
		return new Session(pod, token, initialized.header("Mcp-Session-Id").orElseThrow());
	}

	/** Properties of a pod whose secret for alpha is {@code alphaSecret}. */
	private static Map<String, Object> gatewayProperties(String alphaSecret) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", server.issuer());
		properties.put("spring.security.oauth2.resourceserver.jwt.audiences", GATEWAY_AUDIENCE);
		member(properties, 0, "alpha", alpha.url().toString(), "2025");
		properties.put("vmcp.backends[0].auth.type", "token-exchange");
		properties.put("vmcp.backends[0].auth.client-id", GATEWAY_CLIENT);
		properties.put("vmcp.backends[0].auth.client-secret", alphaSecret);
		properties.put("vmcp.backends[0].auth.audience", ALPHA_AUDIENCE);
		member(properties, 1, "beta", beta.url(), "auto");
		properties.put("vmcp.backends[1].auth.type", "token-exchange");
		properties.put("vmcp.backends[1].auth.client-id", BETA_CLIENT);
		properties.put("vmcp.backends[1].auth.client-secret", BETA_SECRET);
		properties.put("vmcp.backends[1].auth.resource", BETA_RESOURCE);
		member(properties, 2, "gamma", gamma.url(), "auto");
		properties.put("vmcp.backends[2].auth.type", "client-credentials");
		properties.put("vmcp.backends[2].auth.client-id", GATEWAY_CLIENT);
		properties.put("vmcp.backends[2].auth.client-secret", GATEWAY_SECRET);
		properties.put("vmcp.backends[2].auth.client-authentication", "client-secret-post");
		properties.put("vmcp.backends[2].auth.audience", GAMMA_AUDIENCE);
		return properties;
	}

	private static void member(Map<String, Object> properties, int index, String name, String url, String protocol) {
		String prefix = "vmcp.backends[" + index + "].";
		properties.put(prefix + "name", name);
		properties.put(prefix + "url", url);
		properties.put(prefix + "protocol", protocol);
		properties.put(prefix + "auth.token-uri", server.tokenUri());
	}

	/** A 2025 client's session with the gateway. */
	private record Session(TestPod pod, String token, String id) {

		JsonNode send(String message) {
			Map<String, String> headers = new HashMap<>(MCP_HEADERS);
			headers.put("Mcp-Session-Id", this.id);
			headers.put("MCP-Protocol-Version", "2025-06-18");
			Response response = this.pod.http().withBearer(this.token).send("POST", "/mcp", message, headers);
			assertThat(response.status()).as(response.body()).isEqualTo(200);
			if (response.contentType().startsWith("text/event-stream")) {
				String[] lines = response.body().split("\n");
				for (int i = lines.length - 1; i >= 0; i--) {
					if (lines[i].startsWith("data:")) {
						return StatelessClient.JSON.readTree(lines[i].substring(5).strip());
					}
				}
			}
			return response.json();
		}

		/** The names of every page of {@code tools/list}. */
		List<String> toolNames() {
			List<String> names = new ArrayList<>();
			String cursor = "";
			do {
				String params = cursor.isEmpty() ? "{}" : "{\"cursor\":\"" + cursor + "\"}";
				JsonNode result = send(
						"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":" + params + "}")
					.path("result");
				names.addAll(result.path("tools").findValuesAsString("name"));
				cursor = result.path("nextCursor").asString("");
			}
			while (!cursor.isEmpty());
			return names;
		}

		String subject(String tool) {
			JsonNode answer = send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\""
					+ tool + "\",\"arguments\":{}}}");
			assertThat(answer.has("result")).as("answer to %s: %s", tool, answer).isTrue();
			return answer.path("result").path("content").path(0).path("text").asString();
		}

	}

}
