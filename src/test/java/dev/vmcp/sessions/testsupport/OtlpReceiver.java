package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A trace collector for tests: accepts OTLP/HTTP protobuf exports on {@code /v1/traces},
 * as an OpenTelemetry Collector does, and keeps every span it received with its
 * resource's attributes. Thread-safe.
 */
public final class OtlpReceiver implements AutoCloseable {

	public static final String PATH = "/v1/traces";

	private final HttpServer server;

	private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

	private final AtomicInteger exports = new AtomicInteger();

	private OtlpReceiver(HttpServer server) {
		this.server = server;
	}

	public static OtlpReceiver start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			OtlpReceiver receiver = new OtlpReceiver(server);
			server.createContext(PATH, receiver::receive);
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Where an exporter sends its spans. */
	public String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + PATH;
	}

	/** Every span received so far. */
	public List<ReceivedSpan> spans() {
		return List.copyOf(this.spans);
	}

	/** The spans of one trace received so far. */
	public List<ReceivedSpan> trace(String traceId) {
		return this.spans.stream().filter((span) -> span.traceId().equals(traceId)).toList();
	}

	/** How many exports (POSTs) arrived. */
	public int exports() {
		return this.exports.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void receive(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body;
			try (InputStream in = body(exchange)) {
				body = in.readAllBytes();
			}
			ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
			this.exports.incrementAndGet();
			for (ResourceSpans resource : request.getResourceSpansList()) {
				Map<String, String> resourceAttributes = attributes(resource.getResource().getAttributesList());
				for (ScopeSpans scope : resource.getScopeSpansList()) {
					for (Span span : scope.getSpansList()) {
						this.spans.add(ReceivedSpan.of(span, resourceAttributes));
					}
				}
			}
			exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, -1);
		}
	}

	private static InputStream body(HttpExchange exchange) throws IOException {
		String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
		return "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(exchange.getRequestBody())
				: exchange.getRequestBody();
	}

	private static Map<String, String> attributes(List<KeyValue> attributes) {
		Map<String, String> values = new LinkedHashMap<>();
		for (KeyValue attribute : attributes) {
			values.put(attribute.getKey(), text(attribute.getValue()));
		}
		return values;
	}

	private static String text(AnyValue value) {
		return switch (value.getValueCase()) {
			case STRING_VALUE -> value.getStringValue();
			case INT_VALUE -> String.valueOf(value.getIntValue());
			case BOOL_VALUE -> String.valueOf(value.getBoolValue());
			case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
			default -> value.toString();
		};
	}

	private static String hex(ByteString bytes) {
		return HexFormat.of().formatHex(bytes.toByteArray());
	}

	/**
	 * One span as received.
	 *
	 * @param traceId lower-case hex
	 * @param spanId lower-case hex
	 * @param parentSpanId lower-case hex, empty for a root span
	 * @param kind {@code SPAN_KIND_SERVER}, {@code SPAN_KIND_CLIENT}, ...
	 * @param attributes the span's attributes, values as text
	 * @param links the span ids it links to
	 * @param resource its resource's attributes ({@code service.name}, ...)
	 */
	public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, String kind,
			Map<String, String> attributes, List<String> links, Map<String, String> resource, String status) {

		static ReceivedSpan of(Span span, Map<String, String> resource) {
			return new ReceivedSpan(hex(span.getTraceId()), hex(span.getSpanId()), hex(span.getParentSpanId()),
					span.getName(), span.getKind().name(), OtlpReceiver.attributes(span.getAttributesList()),
					span.getLinksList().stream().map((link) -> hex(link.getSpanId())).toList(), resource,
					span.getStatus().getCode().name());
		}

		public String attribute(String key) {
			return this.attributes.getOrDefault(key, "");
		}

	}

}
