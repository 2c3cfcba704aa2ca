package dev.vmcp.sessions.mcp;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What the client's {@code Accept} header allows the gateway to answer with.
 *
 * @param json a single {@code application/json} body
 * @param eventStream a {@code text/event-stream}
 */
public record ClientAccepts(boolean json, boolean eventStream) {

	public static ClientAccepts parse(@Nullable String accept) {
		if (accept == null || accept.isBlank()) {
			return new ClientAccepts(true, true);
		}
		boolean json = false;
		boolean eventStream = false;
		for (String range : accept.split(",")) {
			String type = range.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
			json |= type.equals("application/json") || type.equals("application/*") || type.equals("*/*");
			eventStream |= type.equals("text/event-stream") || type.equals("text/*") || type.equals("*/*");
		}
		return new ClientAccepts(json, eventStream);
	}

	public boolean any() {
		return this.json || this.eventStream;
	}

}
