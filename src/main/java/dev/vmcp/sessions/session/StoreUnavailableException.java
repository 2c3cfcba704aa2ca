package dev.vmcp.sessions.session;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * The session store did not answer in time, or this pod has too many store calls in
 * flight to take another. Transient: the session is unharmed and the caller may retry.
 */
public class StoreUnavailableException extends TransientDataAccessResourceException {

	public StoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
