package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Metrics of the front door: requests per method and member with their JSON-RPC outcome,
 * open streams, relayed server-to-client requests, members left out of lists.
 */
public final class McpMetrics {

	/** Member tag of what the gateway answers itself (ping, merged lists). */
	public static final String GATEWAY = "gateway";

	/** Outcome tag of a request answered without a JSON-RPC error. */
	static final String OK = "ok";

	private final MeterRegistry registry;

	private final Meter.MeterProvider<Timer> requests;

	private final AtomicInteger clientStreams = new AtomicInteger();

	private final AtomicInteger backendStreams = new AtomicInteger();

	McpMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.requests = Timer.builder("vmcp.mcp.requests")
			.description("Client requests on /mcp by method, member and JSON-RPC outcome")
			.withRegistry(registry);
		Gauge.builder("vmcp.mcp.streams.open", this.clientStreams, AtomicInteger::get)
			.description("Standalone GET streams of clients held by this pod")
			.tag("side", "client")
			.register(registry);
		Gauge.builder("vmcp.mcp.streams.open", this.backendStreams, AtomicInteger::get)
			.description("Standalone GET streams to backends held by this pod")
			.tag("side", "backend")
			.register(registry);
	}

	/**
	 * One client request handled.
	 * @param outcome {@link #OK} or the JSON-RPC error code
	 */
	void request(String method, String member, String outcome, Duration duration) {
		this.requests.withTags("method", method, "member", member, "outcome", outcome).record(duration);
	}

	public void relayedServerRequest(String member, String method) {
		Counter.builder("vmcp.mcp.server.requests.relayed")
			.description("Requests from backends relayed to clients (sampling, elicitation, roots)")
			.tag("member", member)
			.tag("method", method)
			.register(this.registry)
			.increment();
	}

	void memberLeftOut(String member, String method) {
		Counter.builder("vmcp.mcp.members.left.out")
			.description("Lists served without a member that was down or failing")
			.tag("member", member)
			.tag("method", method)
			.register(this.registry)
			.increment();
	}

	public void clientStreamOpened() {
		this.clientStreams.incrementAndGet();
	}

	public void clientStreamClosed() {
		this.clientStreams.decrementAndGet();
	}

	public void backendStreamOpened() {
		this.backendStreams.incrementAndGet();
	}

	public void backendStreamClosed() {
		this.backendStreams.decrementAndGet();
	}

}
