package dev.vmcp.sessions.mcp.v2026;

import java.net.URI;
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
 * {@code server/discover} on a pod whose only member speaks 2025: what the member offers
 * comes from its initialize result where this pod has one, or from its lists, so a 2026
 * client learns the member's tools either way.
 */
class SessionMemberDiscoveryIntegrationTests {

	@Test
	void discoverDescribesAMemberThatSpeaksOnly2025() {
		try (McpBackendServer alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
				TestPod pod = TestPod
					.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url", alpha.url().toString()))) {
			StatelessClient client = new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));

			for (int i = 0; i < 2; i++) {
				JsonNode capabilities = message(client.send(request(1, "server/discover", "{}"))).path("result")
					.path("capabilities");

				assertThat(capabilities.has("tools")).as(capabilities.toString()).isTrue();
				assertThat(message(client.send(request(2, "tools/list", "{}"))).path("result").path("tools").size())
					.isPositive();
			}
			// The first answer came from the lists, the second from the initialize
			// result.
			assertThat(message(client.send(request(3, "server/discover", "{}"))).path("result")
				.path("capabilities")
				.has("logging")).isTrue();
		}
	}

}
