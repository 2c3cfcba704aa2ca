package dev.vmcp.sessions.session;

import java.util.Optional;

/**
 * Where session records live. Implementations are thread-safe and every method is atomic
 * with respect to the others; one contract test suite runs against all of them.
 * <p>
 * Failures cross this boundary as Spring's {@code DataAccessException}: the store being
 * unreachable or slow is never reported as an absent session.
 */
public interface SessionStore {

	/**
	 * Stores a new record only if no record with its id exists (SET NX).
	 * @return {@code false} on an id collision; the caller picks a new id
	 */
	boolean create(SessionRecord record);

	/**
	 * {@link #create(SessionRecord)}, keeping {@code note} beside the record (in the same
	 * atomic write) until the session expires, when the store tells
	 * {@link SessionEvents#expired}, or is terminated, when it is dropped. A store that
	 * tells no expiries ignores it.
	 */
	default boolean create(SessionRecord record, Optional<ExpiryNote> note) {
		return create(record);
	}

	/**
	 * Owner that stands for any: reads on behalf of the service itself or an
	 * administrator.
	 */
	String ANY_OWNER = "*";

	/**
	 * Reads a record and, when {@code reader} owns it (or is {@link #ANY_OWNER}), slides
	 * its idle TTL (never beyond its absolute expiry) and records the access. A
	 * stranger's read changes nothing: the record is returned so that the caller can
	 * refuse it. An expired record is absent, whether or not a sweeper has removed it
	 * yet.
	 */
	LoadResult load(SessionId id, String reader);

	/** {@link #load(SessionId, String)} on behalf of the service itself. */
	default LoadResult load(SessionId id) {
		return load(id, ANY_OWNER);
	}

	/**
	 * Replaces a record if it exists, is not terminated, is not expired and is at
	 * {@code expectedVersion} of the same session as {@code next}: a record of another
	 * session of the id ({@link SessionRecord#incarnation()}) is a conflict. Never
	 * creates a record.
	 * @param next the new record; its version must be {@code expectedVersion + 1}
	 */
	UpdateOutcome update(SessionRecord next, long expectedVersion);

	/**
	 * Replaces the record by a tombstone so that every later update fails. Idempotent.
	 * @param owner the owner to keep on the tombstone
	 * @return the live record that was replaced, if there was one
	 */
	Optional<SessionRecord> terminate(SessionId id, String owner);

	/** Checks the arguments of {@link #update} the same way in every implementation. */
	static void requireSuccessorVersion(SessionRecord next, long expectedVersion) {
		if (next.version() != expectedVersion + 1) {
			throw new IllegalArgumentException(
					"next.version must be expectedVersion + 1 (" + (expectedVersion + 1) + "), was " + next.version());
		}
	}

}
