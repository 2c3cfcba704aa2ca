package dev.vmcp.sessions.session;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A blocking test store made asynchronous by running its calls on an executor, so that a
 * {@link TimedSessionStore} in front of it can give up on a call that a test holds.
 */
final class BlockingStoreOnExecutor implements AsyncSessionStore {

	private final SessionStore store;

	private final Executor executor;

	BlockingStoreOnExecutor(SessionStore store, Executor executor) {
		this.store = store;
		this.executor = executor;
	}

	@Override
	public CompletionStage<Boolean> createAsync(SessionRecord record) {
		return CompletableFuture.supplyAsync(() -> this.store.create(record), this.executor);
	}

	@Override
	public CompletionStage<LoadResult> loadAsync(SessionId id, String reader) {
		return CompletableFuture.supplyAsync(() -> this.store.load(id, reader), this.executor);
	}

	@Override
	public CompletionStage<UpdateOutcome> updateAsync(SessionRecord next, long expectedVersion) {
		return CompletableFuture.supplyAsync(() -> this.store.update(next, expectedVersion), this.executor);
	}

	@Override
	public CompletionStage<Optional<SessionRecord>> terminateAsync(SessionId id, String owner) {
		return CompletableFuture.supplyAsync(() -> this.store.terminate(id, owner), this.executor);
	}

}
