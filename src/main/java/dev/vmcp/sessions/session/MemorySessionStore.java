package dev.vmcp.sessions.session;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Keeps records in this pod's memory: the embedded default for a single pod.
 * <p>
 * Every operation runs inside one {@link ConcurrentMap#compute} so that it is atomic with
 * respect to the others; expiry is checked on every access rather than left to
 * {@link #removeExpired()}. Nothing here waits for anything, so the asynchronous calls
 * answer on the caller's thread, already complete.
 */
public final class MemorySessionStore implements SessionStore, AsyncSessionStore {

	private final ConcurrentMap<SessionId, Entry> entries = new ConcurrentHashMap<>();

	private final SessionTtl ttl;

	public MemorySessionStore(SessionTtl ttl) {
		this.ttl = ttl;
	}

	@Override
	public boolean create(SessionRecord record) {
		AtomicReference<Boolean> created = new AtomicReference<>(false);
		this.entries.compute(record.id(), (id, existing) -> {
			if (isLive(existing)) {
				return existing;
			}
			created.set(true);
			return live(record);
		});
		return created.get();
	}

	@Override
	public LoadResult load(SessionId id, String reader) {
		AtomicReference<LoadResult> result = new AtomicReference<>(new LoadResult.Absent());
		this.entries.computeIfPresent(id, (key, existing) -> {
			if (!isLive(existing)) {
				return null;
			}
			if (existing instanceof Tombstone tombstone) {
				result.set(new LoadResult.Terminated(tombstone.owner()));
				return existing;
			}
			SessionRecord stored = ((Live) existing).record();
			if (!isOwnedBy(stored, reader)) {
				result.set(new LoadResult.Found(stored));
				return existing;
			}
			SessionRecord record = stored.accessedAt(this.ttl.now());
			result.set(new LoadResult.Found(record));
			return live(record);
		});
		return result.get();
	}

	@Override
	public UpdateOutcome update(SessionRecord next, long expectedVersion) {
		SessionStore.requireSuccessorVersion(next, expectedVersion);
		AtomicReference<UpdateOutcome> outcome = new AtomicReference<>(UpdateOutcome.ABSENT);
		this.entries.computeIfPresent(next.id(), (id, existing) -> {
			if (!isLive(existing)) {
				return null;
			}
			outcome.set(outcomeOfUpdate(existing, expectedVersion));
			return (outcome.get() == UpdateOutcome.UPDATED) ? live(next) : existing;
		});
		return outcome.get();
	}

	@Override
	public Optional<SessionRecord> terminate(SessionId id, String owner) {
		AtomicReference<Optional<SessionRecord>> replaced = new AtomicReference<>(Optional.empty());
		this.entries.compute(id, (key, existing) -> {
			if (isLive(existing) && existing instanceof Live live) {
				replaced.set(Optional.of(live.record()));
			}
			return new Tombstone(owner, this.ttl.now().plus(this.ttl.tombstone()));
		});
		return replaced.get();
	}

	@Override
	public CompletionStage<Boolean> createAsync(SessionRecord record) {
		return AsyncSessionStore.answeredAtOnce(() -> create(record));
	}

	@Override
	public CompletionStage<LoadResult> loadAsync(SessionId id, String reader) {
		return AsyncSessionStore.answeredAtOnce(() -> load(id, reader));
	}

	@Override
	public CompletionStage<UpdateOutcome> updateAsync(SessionRecord next, long expectedVersion) {
		return AsyncSessionStore.answeredAtOnce(() -> update(next, expectedVersion));
	}

	@Override
	public CompletionStage<Optional<SessionRecord>> terminateAsync(SessionId id, String owner) {
		return AsyncSessionStore.answeredAtOnce(() -> terminate(id, owner));
	}

	/** Drops entries whose time is up; reads never depend on this having run. */
	public void removeExpired() {
		this.entries.values().removeIf((entry) -> !isLive(entry));
	}

	/** Ids of the entries held, live or not yet swept; for tests and diagnostics. */
	Set<SessionId> ids() {
		return Set.copyOf(this.entries.keySet());
	}

	/** Number of entries held, live or not yet swept; for tests and diagnostics. */
	int entryCount() {
		return this.entries.size();
	}

	private static boolean isOwnedBy(SessionRecord record, String reader) {
		return ANY_OWNER.equals(reader) || record.owner().equals(reader);
	}

	private UpdateOutcome outcomeOfUpdate(Entry existing, long expectedVersion) {
		if (existing instanceof Tombstone) {
			return UpdateOutcome.TERMINATED;
		}
		return (((Live) existing).record().version() == expectedVersion) ? UpdateOutcome.UPDATED
				: UpdateOutcome.CONFLICT;
	}

	private boolean isLive(@Nullable Entry entry) {
		if (entry == null) {
			return false;
		}
		Instant now = this.ttl.now();
		return now.isBefore(entry.deadline()) && !(entry instanceof Live live && live.record().isExpiredAt(now));
	}

	private Live live(SessionRecord record) {
		return new Live(record, this.ttl.now().plus(this.ttl.ttlFor(record)));
	}

	private sealed interface Entry permits Live, Tombstone {

		Instant deadline();

	}

	private record Live(SessionRecord record, Instant deadline) implements Entry {
	}

	private record Tombstone(String owner, Instant deadline) implements Entry {
	}

}
