package dev.vmcp.sessions.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.http.HttpHeaders;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.vmcp.sessions.backend.UnknownBackendException;
import dev.vmcp.sessions.security.UnverifiableCredentialsException;
import dev.vmcp.sessions.session.BackendNotInSessionException;
import dev.vmcp.sessions.session.CreationRateExceededException;
import dev.vmcp.sessions.session.CreationRefusedException;
import dev.vmcp.sessions.session.SessionContentionException;
import dev.vmcp.sessions.session.SessionLimitReachedException;
import dev.vmcp.sessions.session.InvalidSessionIdException;
import dev.vmcp.sessions.session.MetadataTooLargeException;
import dev.vmcp.sessions.session.SessionNotFoundException;
import dev.vmcp.sessions.session.SessionTerminatedDuringCreationException;
import dev.vmcp.sessions.session.VersionMismatchException;

/**
 * The one place where failures become HTTP: RFC 9457 problem details
 * ({@code application/problem+json}) with the status each failure deserves.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	/** Seconds a client should wait before retrying after the store was unavailable. */
	static final String RETRY_AFTER_SECONDS = "1";

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler({ InvalidSessionIdException.class, UnknownBackendException.class, InvalidRequestException.class })
	ResponseEntity<ProblemDetail> badRequest(RuntimeException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid request", ex);
	}

	@ExceptionHandler(UnverifiableCredentialsException.class)
	ResponseEntity<ProblemDetail> unverifiableCredentials(UnverifiableCredentialsException ex) {
		return problem(HttpStatus.UNAUTHORIZED, "Credentials not accepted", ex);
	}

	@ExceptionHandler({ SessionNotFoundException.class, BackendNotInSessionException.class })
	ResponseEntity<ProblemDetail> notFound(RuntimeException ex) {
		return problem(HttpStatus.NOT_FOUND, "Not found", ex);
	}

	@ExceptionHandler({ SessionTerminatedDuringCreationException.class, SessionContentionException.class })
	ResponseEntity<ProblemDetail> conflict(RuntimeException ex) {
		return problem(HttpStatus.CONFLICT, "Conflict", ex);
	}

	@ExceptionHandler(VersionMismatchException.class)
	ResponseEntity<ProblemDetail> versionMismatch(VersionMismatchException ex) {
		ResponseEntity<ProblemDetail> response = problem(HttpStatus.PRECONDITION_FAILED, "Version mismatch", ex);
		response.getBody().setProperty("currentVersion", ex.currentVersion());
		return response;
	}

	/** A body that grew past the limit while being read is too large, not malformed. */
	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof RequestTooLargeException tooLarge) {
			return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(tooLarge).getBody());
		}
		return super.handleHttpMessageNotReadable(ex, headers, status, request);
	}

	/** The caller holds as many live sessions as it may; {@code limit} says how many. */
	@ExceptionHandler(SessionLimitReachedException.class)
	ResponseEntity<ProblemDetail> sessionLimitReached(SessionLimitReachedException ex) {
		ResponseEntity<ProblemDetail> response = tooManyRequests("Too many sessions", ex);
		response.getBody().setProperty("limit", ex.limit());
		return response;
	}

	@ExceptionHandler(CreationRateExceededException.class)
	ResponseEntity<ProblemDetail> creationRateExceeded(CreationRateExceededException ex) {
		return tooManyRequests("Too many session creations", ex);
	}

	@ExceptionHandler({ MetadataTooLargeException.class, RequestTooLargeException.class })
	ResponseEntity<ProblemDetail> tooLarge(RuntimeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, "Too large", ex);
	}

	/**
	 * The store failed or timed out: the session is unharmed and the caller should retry.
	 * A misuse of the store API is a bug, not an outage, and stays a 500.
	 */
	@ExceptionHandler(DataAccessException.class)
	ResponseEntity<ProblemDetail> storeUnavailable(DataAccessException ex) {
		if (ex instanceof InvalidDataAccessApiUsageException) {
			return unexpected(ex);
		}
		logger.warn("Session store unavailable: {}", ex.getMessage());
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The session store is unavailable or too slow; retry shortly");
		body.setTitle("Session store unavailable");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(body);
	}

	/** A bug, not the caller's fault: logged in full, answered without internals. */
	@ExceptionHandler(RuntimeException.class)
	ResponseEntity<ProblemDetail> unexpected(RuntimeException ex) {
		logger.error("Unexpected failure", ex);
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"An unexpected error occurred; it has been logged");
		body.setTitle("Internal error");
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(body);
	}

	private static ResponseEntity<ProblemDetail> tooManyRequests(String title, CreationRefusedException ex) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, ex.getMessage());
		body.setTitle(title);
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
			.body(body);
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, RuntimeException ex) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		body.setTitle(title);
		return ResponseEntity.status(status).body(body);
	}

}
