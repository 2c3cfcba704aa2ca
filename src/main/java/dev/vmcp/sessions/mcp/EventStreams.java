package dev.vmcp.sessions.mcp;

import java.time.Duration;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The server-sent events the gateway writes to clients.
 */
public final class EventStreams {

	static final String CONTENT_TYPE = "text/event-stream";

	/** A comment line: keeps idle connections open and detects clients gone away. */
	public static final String KEEP_ALIVE = ": keep-alive\n\n";

	private EventStreams() {
	}

	/**
	 * Headers of an event stream; {@code X-Accel-Buffering} asks proxies that buffer by
	 * default (nginx) to pass events through at once.
	 */
	public static void prepare(HttpServletResponse response) {
		response.setContentType(CONTENT_TYPE);
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Cache-Control", "no-cache, no-transform");
		response.setHeader("X-Accel-Buffering", "no");
	}

	/** One JSON-RPC message as a {@code message} event (JSON text holds no newline). */
	public static String event(String json) {
		return "event: message\ndata: " + singleLine(json) + "\n\n";
	}

	/**
	 * One JSON-RPC message as a {@code message} event with an id, which a client that
	 * lost the stream names in {@code Last-Event-ID} to resume it.
	 */
	public static String event(String id, String json) {
		return "id: " + id + "\nevent: message\ndata: " + singleLine(json) + "\n\n";
	}

	/**
	 * An event with an id and no data: it primes the client to resume the stream from
	 * there (no message is lost before the first one), and tells it how long to wait
	 * before it reconnects.
	 */
	public static String priming(String id, Duration retry) {
		return "id: " + id + "\nretry: " + retry.toMillis() + "\ndata: \n\n";
	}

	private static String singleLine(String json) {
		return json.replace("\r", "").replace("\n", "");
	}

}
