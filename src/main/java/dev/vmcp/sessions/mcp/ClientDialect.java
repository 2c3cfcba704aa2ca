package dev.vmcp.sessions.mcp;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How answers are written for a client of one revision: what it sees of a member's
 * messages and of the gateway's own, and the HTTP status of an answer sent whole.
 */
public interface ClientDialect {

	/**
	 * A member's message as this client must see it.
	 * @return the text to send, or null when this client must not see it
	 */
	@Nullable String forClient(String member, String text, JsonNode message);

	/** The gateway's own answer (result or error) as this client must see it. */
	JsonNode own(JsonNode message);

	/** The HTTP status of an answer that is this one message, sent whole. */
	int status(JsonNode message);

	/**
	 * The events of a stream about to be sent to this client: numbered and kept so that
	 * it can resume the stream, where its revision has resumption; by default neither.
	 */
	default StreamEvents openStream() {
		return StreamEvents.NONE;
	}

}
