package dev.vmcp.sessions.web;

/**
 * A request is well-formed JSON but not what the API accepts.
 */
class InvalidRequestException extends RuntimeException {

	InvalidRequestException(String message) {
		super(message);
	}

}
