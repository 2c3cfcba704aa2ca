package dev.vmcp.sessions.mcp;

import java.io.UncheckedIOException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.security.UnverifiableCredentialsException;
import dev.vmcp.sessions.session.InvalidSessionIdException;
import dev.vmcp.sessions.session.SessionContentionException;
import dev.vmcp.sessions.session.SessionNotFoundException;
import dev.vmcp.sessions.session.SessionTerminatedDuringCreationException;

/**
 * Failures on {@code /mcp} as MCP clients expect them: the HTTP status the transport
 * specifies, with a JSON-RPC error as the body.
 */
@RestControllerAdvice(basePackageClasses = McpEndpoint.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class McpExceptionHandler {

	/** Seconds a client should wait before retrying after the store was unavailable. */
	private static final String RETRY_AFTER_SECONDS = "1";

	private static final Logger logger = LoggerFactory.getLogger(McpExceptionHandler.class);

	@ExceptionHandler(McpException.class)
	ResponseEntity<ObjectNode> refused(McpException ex) {
		ResponseEntity<ObjectNode> response = error(ex.status(), ex.id(), ex.code(), ex.getMessage());
		if (ex.data() != null && response.getBody() != null) {
			((ObjectNode) response.getBody().get("error")).set("data", ex.data());
		}
		if (ex.retryAfterSeconds().isEmpty()) {
			return response;
		}
		return ResponseEntity.status(response.getStatusCode())
			.headers(response.getHeaders())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds().getAsLong()))
			.body(response.getBody());
	}

	/** Unknown, terminated, expired or another caller's: all look the same, 404. */
	@ExceptionHandler({ SessionNotFoundException.class, InvalidSessionIdException.class,
			SessionTerminatedDuringCreationException.class })
	ResponseEntity<ObjectNode> sessionNotFound(RuntimeException ex) {
		return error(HttpStatus.NOT_FOUND, null, JsonRpc.SESSION_NOT_FOUND, "Session not found");
	}

	@ExceptionHandler(UnverifiableCredentialsException.class)
	ResponseEntity<ObjectNode> unverifiableCredentials(UnverifiableCredentialsException ex) {
		return error(HttpStatus.UNAUTHORIZED, null, JsonRpc.INVALID_REQUEST, ex.getMessage());
	}

	@ExceptionHandler(SessionContentionException.class)
	ResponseEntity<ObjectNode> contention(SessionContentionException ex) {
		return error(HttpStatus.CONFLICT, null, JsonRpc.INTERNAL_ERROR, ex.getMessage());
	}

	/** The store failed or timed out: the session is unharmed; retry shortly. */
	@ExceptionHandler(DataAccessException.class)
	ResponseEntity<ObjectNode> storeUnavailable(DataAccessException ex) {
		logger.warn("Session store unavailable: {}", ex.getMessage());
		ResponseEntity<ObjectNode> response = error(HttpStatus.SERVICE_UNAVAILABLE, null, JsonRpc.INTERNAL_ERROR,
				"The session store is unavailable or too slow; retry shortly");
		return ResponseEntity.status(response.getStatusCode())
			.headers(response.getHeaders())
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(response.getBody());
	}

	/** The client went away while being answered: nobody is left to tell. */
	@ExceptionHandler(UncheckedIOException.class)
	void clientGone(UncheckedIOException ex) {
		logger.debug("Client went away: {}", ex.getMessage());
	}

	@ExceptionHandler(RuntimeException.class)
	ResponseEntity<ObjectNode> unexpected(RuntimeException ex) {
		logger.error("Unexpected failure on /mcp", ex);
		return error(HttpStatus.INTERNAL_SERVER_ERROR, null, JsonRpc.INTERNAL_ERROR,
				"An unexpected error occurred; it has been logged");
	}

	private static ResponseEntity<ObjectNode> error(HttpStatus status, @Nullable JsonNode id, int code,
			String message) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.body(JsonRpc.error(id, code, message));
	}

}
