package dev.vmcp.sessions.mcp.v2026;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.message;
import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Caller sessions count in the caller's limits like any session: for a 2026-07-28 client
 * that would need one more than it may hold, the member is unavailable, as a member that
 * is down: left out of its lists, its tools unknown; what the caller holds keeps working.
 */
class CallerSessionQuotaIntegrationTests {

	@Test
	void aCallerSessionBeyondTheCallersLimitIsRefusedAndTheOthersKeepWorking() {
		try (McpBackendServer alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
				TestPod pod = TestPod
					.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url", alpha.url().toString(),
							"vmcp.backends[0].protocol", "2025", "vmcp.session.max-per-caller", "2"))) {
			StatelessClient client = new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));

			assertThat(echo(client, "first").path("result").path("content").path(0).path("text").asString())
				.contains("first");
			assertThat(echo(client, "second").path("result").path("content").path(0).path("text").asString())
				.contains("second");
			JsonNode third = echo(client, "third");

			assertThat(third.path("error").path("code").asInt()).as(third.toString()).isEqualTo(-32602);
			assertThat(third.path("error").path("message").asString()).isEqualTo("Unknown tool: echo");
			assertThat(alpha.initializeCount()).isEqualTo(2);
			assertThat(echo(client, "first").path("result").path("content").path(0).path("text").asString())
				.contains("first");
		}
	}

	/**
	 * alpha's echo, by a client that declares an experimental capability of that name.
	 */
	private static JsonNode echo(StatelessClient client, String experiment) {
		HttpResponse<String> response = client.send(request(1, "tools/call",
				"{\"name\":\"echo\",\"arguments\":{\"text\":\"" + experiment + "\"},\"_meta\":{"
						+ "\"io.modelcontextprotocol/clientCapabilities\":{\"experimental\":{\"" + experiment
						+ "\":{}}}}}"));
		return message(response);
	}

}
