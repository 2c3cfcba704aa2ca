package dev.vmcp.sessions.backend;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Receives what a backend sends, message by message, as it arrives.
 */
public interface MessageSink {

	/**
	 * Called once, before the first message: whether the backend answers with an event
	 * stream (more messages may follow) or with one JSON body.
	 */
	default void begin(boolean streamed) {
	}

	/**
	 * One JSON-RPC message.
	 * @param text the message exactly as the backend sent it
	 * @param message the same, parsed, for reading (never to re-serialize unchanged)
	 */
	void message(String text, JsonNode message);

	/**
	 * Asked after each message of a streamed answer: who reads the rest of it, when not
	 * the thread that forwarded the call (a question of the member's parked the call, and
	 * the client was answered already); null to read on.
	 */
	default @Nullable Consumer<OpenAnswer> restOfAnswer() {
		return null;
	}

}
