package dev.vmcp.sessions.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A session id: URL-safe characters only, at most {@value #MAX_LENGTH} of them.
 * <p>
 * Generated ids carry 256 bits from {@link SecureRandom}; parsed ids are checked before
 * they reach any store, so a malformed id never costs a storage call.
 */
public record SessionId(String value) {

	/** Longest id accepted from a caller. */
	public static final int MAX_LENGTH = 128;

	/** The syntax of an id, as a regular expression (the API document shows it). */
	public static final String PATTERN = "[A-Za-z0-9_-]{16," + MAX_LENGTH + "}";

	private static final int RANDOM_BYTES = 32;

	private static final Pattern SYNTAX = Pattern.compile(PATTERN);

	private static final SecureRandom RANDOM = new SecureRandom();

	public SessionId {
		if (!SYNTAX.matcher(value).matches()) {
			throw new InvalidSessionIdException(value);
		}
	}

	/** A fresh random id. */
	public static SessionId generate() {
		byte[] bytes = new byte[RANDOM_BYTES];
		RANDOM.nextBytes(bytes);
		return new SessionId(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
	}

	@Override
	public String toString() {
		return this.value;
	}

}
