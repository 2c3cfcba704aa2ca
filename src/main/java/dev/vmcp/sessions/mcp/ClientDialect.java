package dev.vmcp.sessions.mcp;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.backend.OpenAnswer;

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
	 * A member's own request during a call, for a client that takes no requests on a
	 * response stream: the call is parked, the client answered on {@code answer}, and the
	 * rest of the member's answer goes to the reader returned. Null (the default): the
	 * request is relayed as any message.
	 */
	default @Nullable Consumer<OpenAnswer> park(String member, JsonNode question, ClientResponse answer) {
		return null;
	}

	/**
	 * The events of a stream about to be sent to this client: numbered and kept so that
	 * it can resume the stream, where its revision has resumption; by default neither.
	 */
	default StreamEvents openStream() {
		return StreamEvents.NONE;
	}

}
