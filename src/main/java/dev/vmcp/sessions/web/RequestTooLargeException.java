package dev.vmcp.sessions.web;

/**
 * A request body is larger than the API accepts.
 */
class RequestTooLargeException extends RuntimeException {

	RequestTooLargeException(long limit) {
		super("Request bodies are limited to " + limit + " bytes");
	}

}
