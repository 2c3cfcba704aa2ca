package dev.vmcp.sessions.tracing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.OtlpReceiver;
import dev.vmcp.sessions.testsupport.OtlpReceiver.ReceivedSpan;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.RoundRobinBalancer;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces exported to a real OTLP receiver by two pods on one Redis behind a balancer that
 * alternates on every request, with a 2025 member ({@code alpha}) and a member that
 * speaks only 2026-07-28 ({@code beta}): the client's trace continues on both pods and
 * into the members, the spans say what the OpenTelemetry conventions for MCP ask and
 * nothing of the session id or the arguments.
 */
class TracesIntegrationTests {

	private static final String SECRET_ARGUMENT = "an-argument-no-span-may-hold";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static StatelessMcpServer beta;

	private static OtlpReceiver receiver;

	private static TestPod podA;

	private static TestPod podB;

	private static RoundRobinBalancer balancer;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		beta = StatelessMcpServer.start("beta");
		receiver = OtlpReceiver.start();
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[1].name", "beta");
		properties.put("vmcp.backends[1].url", beta.url());
		properties.put("vmcp.backends[1].protocol", "2026-07-28");
		properties.put("management.opentelemetry.tracing.export.otlp.endpoint", receiver.endpoint());
		properties.put("management.tracing.sampling.probability", "1.0");
		properties.put("management.opentelemetry.tracing.export.schedule-delay", "100ms");
		properties.put("management.opentelemetry.resource-attributes.service.instance.id", "pod-a");
		podA = TestPod.start(properties);
		properties.put("management.opentelemetry.resource-attributes.service.instance.id", "pod-b");
		podB = TestPod.start(properties);
		balancer = RoundRobinBalancer.start(List.of(podA.port(), podB.port()));
	}

	@AfterAll
	static void stop() {
		Closing.all(balancer, podA, podB, alpha, beta, receiver, redis);
	}

	@Test
	void oneTraceCrossesBothPodsAndBothMembers() {
		String traceId = randomHex(16);
		String initializeParent = randomHex(8);
		String callParent = randomHex(8);
		String sessionId = initialize(traceparent(traceId, initializeParent));
		post(sessionId, traceparent(traceId, callParent),
				"""
						{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"alpha_echo","arguments":{"text":"%s"}}}"""
					.formatted(SECRET_ARGUMENT));
		post(sessionId, traceparent(traceId, callParent),
				"""
						{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"beta_echo","arguments":{"text":"%s"}}}"""
					.formatted(SECRET_ARGUMENT));

		ReceivedSpan alphaCall = awaitSpan(traceId, "tools/call alpha_echo");
		ReceivedSpan betaCall = awaitSpan(traceId, "tools/call beta_echo");
		awaitSpan(traceId, "initialize");
		List<ReceivedSpan> trace = receiver.trace(traceId);

		assertThat(trace).extracting((span) -> span.resource().get("service.instance.id"))
			.as("spans of both pods in the client's trace")
			.contains("pod-a", "pod-b");
		assertThat(trace).extracting(ReceivedSpan::parentSpanId)
			.as("the client's spans are the parents of the pods' first spans")
			.contains(initializeParent, callParent);

		assertThat(alphaCall.kind()).isEqualTo("SPAN_KIND_SERVER");
		assertThat(alphaCall.attributes()).containsEntry("mcp.method.name", "tools/call")
			.containsEntry("gen_ai.tool.name", "alpha_echo")
			.containsEntry("gen_ai.operation.name", "execute_tool")
			.containsEntry("mcp.protocol.version", "2025-06-18")
			.containsEntry("jsonrpc.request.id", "2");

		ReceivedSpan toAlpha = memberCall(trace, alphaCall, alpha.url().getPort());
		assertThat(toAlpha.name()).isEqualTo("tools/call echo");
		assertThat(toAlpha.attributes()).containsEntry("mcp.method.name", "tools/call")
			.containsEntry("gen_ai.tool.name", "echo")
			.containsEntry("jsonrpc.request.id", "2");
		String alphaTraceparent = alpha.posts()
			.stream()
			.filter((post) -> post.method().equals("tools/call") && post.traceparent().contains(traceId))
			.findFirst()
			.orElseThrow()
			.traceparent();
		assertThat(alphaTraceparent).as("the member's parent is the gateway's client span")
			.isEqualTo(traceparent(traceId, toAlpha.spanId()));

		assertThat(alpha.posts()).filteredOn((post) -> post.method().equals("initialize"))
			.extracting(McpBackendServer.Post::traceparent)
			.as("the member's session, opened in parallel, in the client's trace")
			.anyMatch((traceparent) -> traceparent.startsWith("00-" + traceId + "-"));

		ReceivedSpan toBeta = memberCall(trace, betaCall, URI.create(beta.url()).getPort());
		assertThat(toBeta.attributes()).as("a member's result is no error").doesNotContainKey("error.type");
		assertThat(toBeta.status()).isNotEqualTo("STATUS_CODE_ERROR");
		StatelessMcpServer.Received atBeta = beta.received("tools/call")
			.stream()
			.filter((received) -> received.header("traceparent").contains(traceId))
			.findFirst()
			.orElseThrow();
		assertThat(atBeta.header("traceparent")).isEqualTo(traceparent(traceId, toBeta.spanId()));
		assertThat(atBeta.body().path("params").path("_meta").path("traceparent").asString())
			.as("a 2026-07-28 member gets the trace context in _meta too")
			.isEqualTo(traceparent(traceId, toBeta.spanId()));

		assertThat(trace)
			.filteredOn((span) -> span.kind().equals("SPAN_KIND_CLIENT")
					&& "redis".equals(span.attribute("db.system.name")))
			.as("a client span per store call")
			.extracting((span) -> span.attribute("db.operation.name"))
			.contains("create", "load");

		assertThat(trace).allSatisfy((span) -> {
			assertThat(span.name()).doesNotContain(sessionId, SECRET_ARGUMENT);
			assertThat(span.attributes().values()).noneMatch((value) -> value.contains(sessionId)
					|| value.contains(sessionId.substring(0, 8)) || value.contains(SECRET_ARGUMENT));
		});
	}

	@Test
	void actuatorRequestsMakeNoTraces() throws Exception {
		String traceId = randomHex(16);
		HttpResponse<String> health = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + podA.port() + "/actuator/health"))
				.header("traceparent", traceparent(traceId, randomHex(8)))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		// A request to the same pod after it: its spans leave that pod with the probe's
		// or
		// after them (the exporter sends spans in the order they ended).
		String markerTraceId = randomHex(16);
		HttpResponse<String> marker = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + podA.port() + "/mcp"))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json, text/event-stream")
				.header("traceparent", traceparent(markerTraceId, randomHex(8)))
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"jsonrpc":"2.0","id":1,"method":"ping"}"""))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(marker.statusCode()).isEqualTo(400);
		await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.trace(markerTraceId).isEmpty());
		assertThat(receiver.trace(traceId)).isEmpty();
	}

	@Test
	void aStatelessClientsTraceContextInMetaIsTheParentAndTheHttpOneIsLinked() {
		String metaTraceId = randomHex(16);
		String metaParent = randomHex(8);
		String headerTraceId = randomHex(16);
		ObjectNode call = StatelessClient.request(7, "tools/call", """
				{"name":"beta_echo","arguments":{"text":"hi"},"_meta":{"traceparent":"%s"}}"""
			.formatted(traceparent(metaTraceId, metaParent)));
		HttpResponse<String> answer = new StatelessClient(balancer.mcpUrl()).send(call,
				Map.of("traceparent", traceparent(headerTraceId, randomHex(8))));
		assertThat(answer.statusCode()).isEqualTo(200);

		ReceivedSpan server = awaitSpan(metaTraceId, "tools/call beta_echo");
		assertThat(server.parentSpanId()).isEqualTo(metaParent);
		assertThat(server.attributes()).containsEntry("mcp.protocol.version", "2026-07-28")
			.containsEntry("jsonrpc.request.id", "7");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(receiver.trace(headerTraceId)).extracting(ReceivedSpan::spanId)
				.as("the HTTP request's span, linked from the MCP server span")
				.containsAnyElementsOf(server.links()));

		ReceivedSpan toBeta = memberCall(receiver.trace(metaTraceId), server, URI.create(beta.url()).getPort());
		JsonNode meta = beta.received("tools/call")
			.stream()
			.filter((received) -> received.body().path("id").asInt() == 7)
			.reduce((first, second) -> second)
			.orElseThrow()
			.body()
			.path("params")
			.path("_meta");
		assertThat(meta.path("traceparent").asString()).as("the client's traceparent, rewritten to the gateway's span")
			.isEqualTo(traceparent(metaTraceId, toBeta.spanId()));
	}

	@Test
	void theSpanOfAHopToAMemberRecordsTheMembersJsonRpcError() {
		String traceId = randomHex(16);
		ObjectNode call = StatelessClient.request(8, "tools/call", """
				{"name":"beta_needs_sampling","_meta":{"traceparent":"%s"}}"""
			.formatted(traceparent(traceId, randomHex(8))));
		HttpResponse<String> answer = new StatelessClient(balancer.mcpUrl()).send(call, Map.of());
		assertThat(answer.body()).contains("-32021");

		ReceivedSpan server = awaitSpan(traceId, "tools/call beta_needs_sampling");
		ReceivedSpan toBeta = await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> memberCall(receiver.trace(traceId), server, URI.create(beta.url()).getPort()),
					java.util.Objects::nonNull);
		assertThat(toBeta.name()).isEqualTo("tools/call needs_sampling");
		assertThat(toBeta.attributes()).as("the member's own error code on the hop to it")
			.containsEntry("rpc.response.status_code", "-32021")
			.containsEntry("error.type", "-32021");
		assertThat(toBeta.status()).isEqualTo("STATUS_CODE_ERROR");
		assertThat(server.attributes()).containsEntry("rpc.response.status_code", "-32021");
	}

	private static ReceivedSpan awaitSpan(String traceId, String name) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> receiver.trace(traceId).stream().filter((span) -> span.name().equals(name)).findFirst(),
					java.util.Optional::isPresent)
			.orElseThrow();
	}

	/**
	 * The client span below {@code server} that called the member on {@code port} (lists
	 * fetched to route the call are below it too).
	 */
	private static ReceivedSpan memberCall(List<ReceivedSpan> trace, ReceivedSpan server, int port) {
		Set<String> below = descendants(trace, server.spanId());
		return trace.stream()
			.filter((span) -> below.contains(span.spanId()) && span.kind().equals("SPAN_KIND_CLIENT")
					&& String.valueOf(port).equals(span.attribute("server.port"))
					&& span.attribute("mcp.method.name").equals("tools/call"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No client span to port " + port + " below " + server));
	}

	private static Set<String> descendants(List<ReceivedSpan> trace, String spanId) {
		Set<String> children = trace.stream()
			.filter((span) -> span.parentSpanId().equals(spanId))
			.map(ReceivedSpan::spanId)
			.collect(Collectors.toSet());
		Set<String> all = new java.util.HashSet<>(children);
		children.forEach((child) -> all.addAll(descendants(trace, child)));
		return all;
	}

	private String initialize(String traceparent) {
		HttpResponse<String> response = send(null, traceparent, """
				{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
				"capabilities":{},"clientInfo":{"name":"traced","version":"1"}}}""");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
	}

	private void post(String sessionId, String traceparent, String message) {
		HttpResponse<String> response = send(sessionId, traceparent, message);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains(SECRET_ARGUMENT);
	}

	private HttpResponse<String> send(String sessionId, String traceparent, String message) {
		HttpRequest.Builder request = HttpRequest.newBuilder(balancer.mcpUrl())
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("MCP-Protocol-Version", "2025-06-18")
			.header("traceparent", traceparent)
			.POST(HttpRequest.BodyPublishers.ofString(message));
		if (sessionId != null) {
			request.header("Mcp-Session-Id", sessionId);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String traceparent(String traceId, String spanId) {
		return "00-" + traceId + "-" + spanId + "-01";
	}

	private static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

}
