package dev.vmcp.sessions.mcp.v2026;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.message;
import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pods come and go: what a 2026-07-28 client holds between two requests is all it needs.
 */
class StatelessFailoverIntegrationTests {

	@Test
	void aPodKilledBetweenAnInputRequiredResultAndItsRetryCostsNothing() {
		try (RedisServerProcess redis = RedisServerProcess.start();
				StatelessMcpServer gamma = StatelessMcpServer.start("gamma")) {
			Map<String, Object> properties = TestPod.redisProperties(redis.port());
			properties.put("vmcp.backends[0].name", "gamma");
			properties.put("vmcp.backends[0].url", gamma.url());
			TestPod first = TestPod.start(properties);
			String state;
			try {
				HttpResponse<String> asked = client(first).send(request(1, "tools/call", "{\"name\":\"confirm\"}"));
				JsonNode result = message(asked).path("result");
				assertThat(result.path("resultType").asString()).isEqualTo("input_required");
				state = result.path("requestState").asString();
			}
			finally {
				first.close();
			}

			try (TestPod second = TestPod.start(properties)) {
				HttpResponse<String> retried = client(second).send(request(2, "tools/call",
						"{\"name\":\"confirm\",\"inputResponses\":{\"confirmation\":{\"action\":\"accept\","
								+ "\"content\":{\"ok\":\"after the failover\"}}},\"requestState\":\"" + state + "\"}"));

				assertThat(message(retried).path("result").path("content").path(0).path("text").asString())
					.as(retried.body())
					.isEqualTo("confirmed: after the failover");
			}
		}
	}

	private static StatelessClient client(TestPod pod) {
		return new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));
	}

}
