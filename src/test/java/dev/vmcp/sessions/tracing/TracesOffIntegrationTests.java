package dev.vmcp.sessions.tracing;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RawMcpClient;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without an OTLP endpoint tracing is off: no tracer, no exporter, and members get no
 * trace context the client did not send; a client's own {@code _meta} trace context
 * passes through as the client wrote it.
 */
class TracesOffIntegrationTests {

	private static McpBackendServer alpha;

	private static StatelessMcpServer beta;

	private static TestPod pod;

	@BeforeAll
	static void start() {
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		beta = StatelessMcpServer.start("beta");
		pod = TestPod.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url", alpha.url(),
				"vmcp.backends[1].name", "beta", "vmcp.backends[1].url", beta.url(), "vmcp.backends[1].protocol",
				"2026-07-28", "management.tracing.sampling.probability", "1.0"));
	}

	@AfterAll
	static void stop() {
		Closing.all(pod, alpha, beta);
	}

	@Test
	void withoutAnEndpointThereIsNoTracerAndNoExporter() {
		assertThat(pod.bean(Traces.class).isOn()).isFalse();
		assertThat(pod.bean(Tracer.class)).isSameAs(Tracer.NOOP);
		assertThat(pod.hasBean(SpanExporter.class)).isFalse();
		assertThat(pod.hasBean(RedisConnectionFactory.class)).as("the memory store's own defaults still hold")
			.isFalse();
	}

	@Test
	void membersGetNoTraceContextTheClientDidNotSend() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(pod.port());
		HttpResponse<String> call = client.post(pod.port(),
				"""
						{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"alpha_echo","arguments":{"text":"x"}}}""");
		assertThat(call.statusCode()).isEqualTo(200);
		HttpResponse<String> statelessCall = new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"))
			.send(StatelessClient.request(3, "tools/call", """
					{"name":"beta_echo","arguments":{"text":"y"}}"""));
		assertThat(statelessCall.statusCode()).isEqualTo(200);

		assertThat(alpha.posts()).extracting(McpBackendServer.Post::method).contains("initialize", "tools/call");
		assertThat(alpha.posts()).allSatisfy((post) -> assertThat(post.traceparent()).isEmpty());
		StatelessMcpServer.Received atBeta = lastCall(3);
		assertThat(atBeta.header("traceparent")).isEmpty();
		assertThat(atBeta.body().path("params").path("_meta").has("traceparent")).isFalse();
	}

	@Test
	void aClientsOwnTraceContextInMetaPassesThroughUntouched() {
		String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
		HttpResponse<String> call = new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"))
			.send(StatelessClient.request(4, "tools/call", """
					{"name":"beta_echo","arguments":{"text":"z"},"_meta":{"traceparent":"%s","tracestate":"k=v"}}"""
				.formatted(traceparent)));
		assertThat(call.statusCode()).isEqualTo(200);

		StatelessMcpServer.Received atBeta = lastCall(4);
		JsonNode meta = atBeta.body().path("params").path("_meta");
		assertThat(meta.path("traceparent").asString()).isEqualTo(traceparent);
		assertThat(meta.path("tracestate").asString()).isEqualTo("k=v");
		assertThat(atBeta.header("traceparent")).isEmpty();
	}

	private static StatelessMcpServer.Received lastCall(int id) {
		List<StatelessMcpServer.Received> calls = beta.received("tools/call")
			.stream()
			.filter((received) -> received.body().path("id").asInt() == id)
			.toList();
		assertThat(calls).isNotEmpty();
		return calls.getLast();
	}

}
