package dev.vmcp.sessions.mcp;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.backend.OpenAnswer;

/**
 * A dialect that changes some of what reaches the client and writes the rest as the
 * dialect it wraps does: a subclass overrides what it changes.
 */
public abstract class ForwardingDialect implements ClientDialect {

	private final ClientDialect dialect;

	protected ForwardingDialect(ClientDialect dialect) {
		this.dialect = dialect;
	}

	/** The dialect this one writes through. */
	protected final ClientDialect dialect() {
		return this.dialect;
	}

	@Override
	public @Nullable String forClient(String member, String text, JsonNode message) {
		return this.dialect.forClient(member, text, message);
	}

	@Override
	public JsonNode own(JsonNode message) {
		return this.dialect.own(message);
	}

	@Override
	public int status(JsonNode message) {
		return this.dialect.status(message);
	}

	@Override
	public @Nullable Consumer<OpenAnswer> park(String member, JsonNode question, ClientResponse answer) {
		return this.dialect.park(member, question, answer);
	}

	@Override
	public StreamEvents openStream() {
		return this.dialect.openStream();
	}

}
