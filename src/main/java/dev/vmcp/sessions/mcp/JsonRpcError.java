package dev.vmcp.sessions.mcp;

/**
 * A request the gateway answers with a JSON-RPC error (HTTP 200): its code and message.
 */
final class JsonRpcError extends RuntimeException {

	private final int code;

	JsonRpcError(int code, String message) {
		super(message);
		this.code = code;
	}

	int code() {
		return this.code;
	}

}
