package dev.vmcp.sessions.mcp;

import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * A request the front door refuses at the HTTP level: the status to answer with and the
 * JSON-RPC error its body carries.
 */
public final class McpException extends RuntimeException {

	private final HttpStatus status;

	private final int code;

	private final @Nullable JsonNode id;

	private final OptionalLong retryAfterSeconds;

	private final @Nullable JsonNode data;

	public McpException(HttpStatus status, int code, String message) {
		this(status, code, message, null);
	}

	public McpException(HttpStatus status, int code, String message, @Nullable JsonNode id) {
		this(status, code, message, id, OptionalLong.empty());
	}

	/**
	 * A refusal whose JSON-RPC error carries data, as the specification defines for it.
	 */
	public McpException(HttpStatus status, JsonRpcError error, @Nullable JsonNode id) {
		super(error.getMessage());
		this.status = status;
		this.code = error.code();
		this.id = id;
		this.retryAfterSeconds = OptionalLong.empty();
		this.data = error.data();
	}

	/**
	 * @param retryAfterSeconds when the client may try again, sent as {@code Retry-After}
	 */
	public McpException(HttpStatus status, int code, String message, @Nullable JsonNode id,
			OptionalLong retryAfterSeconds) {
		super(message);
		this.status = status;
		this.code = code;
		this.id = id;
		this.retryAfterSeconds = retryAfterSeconds;
		this.data = null;
	}

	public static McpException badRequest(String message) {
		return new McpException(HttpStatus.BAD_REQUEST, JsonRpc.INVALID_REQUEST, message);
	}

	HttpStatus status() {
		return this.status;
	}

	int code() {
		return this.code;
	}

	@Nullable JsonNode id() {
		return this.id;
	}

	OptionalLong retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

	@Nullable JsonNode data() {
		return this.data;
	}

}
