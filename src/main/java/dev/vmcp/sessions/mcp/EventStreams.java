package dev.vmcp.sessions.mcp;

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
		return "event: message\ndata: " + json.replace("\r", "").replace("\n", "") + "\n\n";
	}

}
