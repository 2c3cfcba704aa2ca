package dev.vmcp.sessions.session;

/**
 * What {@link SessionStore#load} found.
 */
public sealed interface LoadResult {

	/** A live (pending or active) record. */
	record Found(SessionRecord record) implements LoadResult {
	}

	/**
	 * A tombstone: the session was terminated. The owner is kept so that idempotent
	 * terminates still answer only the owner.
	 */
	record Terminated(String owner) implements LoadResult {
	}

	/** Nothing: never existed, expired, or the tombstone itself expired. */
	record Absent() implements LoadResult {
	}

}
