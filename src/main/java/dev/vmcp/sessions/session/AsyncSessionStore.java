package dev.vmcp.sessions.session;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A {@link SessionStore} whose calls return before the store has answered, so that a
 * caller can put a deadline of its own on each call without a thread of its own per call
 * (see {@link TimedSessionStore}). Same contract as the blocking methods of the same
 * names; failures complete the stage exceptionally, as {@code DataAccessException}s.
 */
public interface AsyncSessionStore {

	/** @see SessionStore#create(SessionRecord) */
	CompletionStage<Boolean> createAsync(SessionRecord record);

	/** @see SessionStore#create(SessionRecord, Optional) */
	default CompletionStage<Boolean> createAsync(SessionRecord record, Optional<ExpiryNote> note) {
		return createAsync(record);
	}

	/** @see SessionStore#load(SessionId, String) */
	CompletionStage<LoadResult> loadAsync(SessionId id, String reader);

	/** @see SessionStore#update(SessionRecord, long) */
	CompletionStage<UpdateOutcome> updateAsync(SessionRecord next, long expectedVersion);

	/** @see SessionStore#terminate(SessionId, String) */
	CompletionStage<Optional<SessionRecord>> terminateAsync(SessionId id, String owner);

	/**
	 * The answer of a call that completes on the caller's thread, as a completed stage; a
	 * failure as a failed one.
	 */
	static <T> CompletionStage<T> answeredAtOnce(Supplier<T> call) {
		try {
			return CompletableFuture.completedFuture(call.get());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
