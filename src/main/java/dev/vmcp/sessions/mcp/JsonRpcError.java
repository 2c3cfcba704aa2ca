package dev.vmcp.sessions.mcp;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request the gateway answers with a JSON-RPC error: its code, message and, where the
 * specification defines one, its data.
 */
public final class JsonRpcError extends RuntimeException {

	private final int code;

	private final @Nullable JsonNode data;

	private final boolean deniedByPolicy;

	public JsonRpcError(int code, String message) {
		this(code, message, null);
	}

	public JsonRpcError(int code, String message, @Nullable JsonNode data) {
		this(code, message, data, false);
	}

	private JsonRpcError(int code, String message, @Nullable JsonNode data, boolean deniedByPolicy) {
		super(message);
		this.code = code;
		this.data = data;
		this.deniedByPolicy = deniedByPolicy;
	}

	/**
	 * The same error as {@code unknown}, for something the policy hides from the caller:
	 * the client cannot tell the two apart, the audit can.
	 */
	static JsonRpcError hiddenByPolicy(JsonRpcError unknown) {
		return new JsonRpcError(unknown.code, unknown.getMessage(), unknown.data, true);
	}

	/** Whether the caller named something the policy hides from it. */
	public boolean deniedByPolicy() {
		return this.deniedByPolicy;
	}

	public int code() {
		return this.code;
	}

	public @Nullable JsonNode data() {
		return this.data;
	}

	/** The error response to request {@code id}. */
	public ObjectNode toResponse(@Nullable JsonNode id) {
		ObjectNode response = JsonRpc.error(id, this.code, getMessage());
		if (this.data != null) {
			((ObjectNode) response.get("error")).set("data", this.data);
		}
		return response;
	}

}
