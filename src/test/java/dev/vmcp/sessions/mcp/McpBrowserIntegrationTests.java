package dev.vmcp.sessions.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.testsupport.BrowserPageServer;
import dev.vmcp.sessions.testsupport.HeadlessChromium;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real browser (headless Chromium) running an MCP client page against {@code /mcp}: a
 * page of an allowed origin initializes, calls a backend's tool and ends its session; a
 * page of a foreign origin gets nothing. Chromium must be installed (see
 * {@link HeadlessChromium}).
 */
class McpBrowserIntegrationTests {

	private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(60);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static McpBackendServer alpha;

	private static TestPod pod;

	@BeforeAll
	static void start() {
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		pod = TestPod.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url", alpha.url()));
	}

	@AfterAll
	static void stop() {
		pod.close();
		alpha.close();
	}

	@Test
	void aPageOfAnAllowedOriginOnAnyPortRunsTheMcpFlow() throws Exception {
		// http://localhost is allowed by default, on any port: the page's port is random
		JsonNode outcome = runPage(InetAddress.getByName("127.0.0.1"), "localhost");

		assertThat(outcome.has("error")).as("page failed: %s", outcome).isFalse();
		assertThat(outcome.path("initialize").asInt()).isEqualTo(200);
		assertThat(outcome.path("sessionId").asString("")).as("Mcp-Session-Id readable by the page").isNotEmpty();
		assertThat(outcome.path("initialized").asInt()).isEqualTo(202);
		assertThat(outcome.path("toolsCall").asInt()).isEqualTo(200);
		assertThat(outcome.path("toolsCallBody").asString()).contains("hello from a browser page");
		assertThat(outcome.path("headerStyle").isNumber()).as("2026-07-28 headers passed the preflight").isTrue();
		assertThat(outcome.path("delete").asInt()).isEqualTo(200);
		assertThat(pod.http().get("/api/v1/sessions/" + outcome.path("sessionId").asString()).status()).isEqualTo(404);
	}

	@Test
	void aPageOfAForeignOriginGetsNothing() throws Exception {
		int initializeCount = alpha.initializeCount();

		// Another loopback address: reachable like localhost, but not an allowed origin
		JsonNode outcome = runPage(InetAddress.getByName("127.0.0.2"), "127.0.0.2");

		assertThat(outcome.path("step").asString()).isEqualTo("initialize");
		assertThat(outcome.path("error").asString()).contains("Failed to fetch");
		assertThat(alpha.initializeCount()).isEqualTo(initializeCount);
	}

	private static JsonNode runPage(InetAddress address, String host) throws Exception {
		String html = page().replace("__GATEWAY__", "http://127.0.0.1:" + pod.port() + "/mcp");
		try (BrowserPageServer server = BrowserPageServer.start(address, host, html);
				HeadlessChromium chromium = HeadlessChromium.open(server.url())) {
			try {
				return json.readTree(server.awaitReport(REPORT_TIMEOUT));
			}
			catch (TimeoutException ex) {
				return fail("The page reported nothing within %s; Chromium said:%n%s", REPORT_TIMEOUT,
						chromium.output());
			}
		}
	}

	private static String page() throws IOException {
		try (InputStream page = McpBrowserIntegrationTests.class.getResourceAsStream("/browser/mcp-client.html")) {
			return new String(page.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
