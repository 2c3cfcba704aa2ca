package dev.vmcp.sessions.mcp;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.backend.BackendMessenger;
import dev.vmcp.sessions.backend.MessageSink;
import dev.vmcp.sessions.backend.OpenAnswer;
import dev.vmcp.sessions.tracing.OpenSpan;

/**
 * Relays a member's answer and records on the client span of the hop whether the member
 * answered the request with a JSON-RPC error: its code as {@code error.type} and
 * {@code rpc.response.status_code}, and an error status, as the server span of the
 * client's request records the code the client got. Not thread-safe, as the span.
 */
final class MemberAnswerSpan implements MessageSink {

	private final OpenSpan span;

	private final JsonNode id;

	private final MessageSink sink;

	private MemberAnswerSpan(OpenSpan span, JsonNode id, MessageSink sink) {
		this.span = span;
		this.id = id;
		this.sink = sink;
	}

	/** {@code sink} itself when there is no span to tell (tracing off). */
	static MessageSink watching(OpenSpan span, JsonNode id, MessageSink sink) {
		return (span == OpenSpan.NONE) ? sink : new MemberAnswerSpan(span, id, sink);
	}

	@Override
	public void begin(boolean streamed) {
		this.sink.begin(streamed);
	}

	@Override
	public void message(String text, JsonNode message) {
		JsonNode code = message.path("error").path("code");
		if (code.isIntegralNumber() && BackendMessenger.isResponseTo(message, this.id)) {
			McpSpans.failed(this.span, code.asInt());
		}
		this.sink.message(text, message);
	}

	@Override
	public @Nullable Consumer<OpenAnswer> restOfAnswer() {
		return this.sink.restOfAnswer();
	}

}
