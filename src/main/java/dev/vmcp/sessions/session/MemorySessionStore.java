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
 * {@link #removeExpired()}. Whichever of them finds a session expired drops it and tells
 * {@link SessionEvents#expired} (outside the map's lock), once: the entry is gone after.
 * Nothing here waits for anything, so the asynchronous calls answer on the caller's
 * thread, already complete.
 */
public final class MemorySessionStore implements SessionStore, AsyncSessionStore {

	private final ConcurrentMap<SessionId, Entry> entries = new ConcurrentHashMap<>();

	private final SessionTtl ttl;

	private final SessionEvents events;

	public MemorySessionStore(SessionTtl ttl) {
		this(ttl, SessionEvents.NONE);
	}

	/**
	 * @param events told of the sessions that expire
	 */
	public MemorySessionStore(SessionTtl ttl, SessionEvents events) {
		this.ttl = ttl;
		this.events = events;
	}

	@Override
	public boolean create(SessionRecord record) {
		return create(record, Optional.empty());
	}

	@Override
	public boolean create(SessionRecord record, Optional<ExpiryNote> note) {
		AtomicReference<Boolean> created = new AtomicReference<>(false);
		AtomicReference<@Nullable ExpiryNote> expired = new AtomicReference<>();
		this.entries.compute(record.id(), (id, existing) -> {
			if (isLive(existing)) {
				return existing;
			}
			expired.set(noteOf(existing));
			created.set(true);
			return live(record, note.orElse(null));
		});
		tellExpired(record.id(), expired.get());
		return created.get();
	}

	@Override
	public LoadResult load(SessionId id, String reader) {
		AtomicReference<LoadResult> result = new AtomicReference<>(new LoadResult.Absent());
		AtomicReference<@Nullable ExpiryNote> expired = new AtomicReference<>();
		this.entries.computeIfPresent(id, (key, existing) -> {
			if (!isLive(existing)) {
				expired.set(noteOf(existing));
				return null;
			}
			if (existing instanceof Tombstone tombstone) {
				result.set(new LoadResult.Terminated(tombstone.owner()));
				return existing;
			}
			Live live = (Live) existing;
			if (!isOwnedBy(live.record(), reader)) {
				result.set(new LoadResult.Found(live.record()));
				return existing;
			}
			SessionRecord record = live.record().accessedAt(this.ttl.now());
			result.set(new LoadResult.Found(record));
			return live(record, live.note());
		});
		tellExpired(id, expired.get());
		return result.get();
	}

	@Override
	public UpdateOutcome update(SessionRecord next, long expectedVersion) {
		SessionStore.requireSuccessorVersion(next, expectedVersion);
		AtomicReference<UpdateOutcome> outcome = new AtomicReference<>(UpdateOutcome.ABSENT);
		AtomicReference<@Nullable ExpiryNote> expired = new AtomicReference<>();
		this.entries.computeIfPresent(next.id(), (id, existing) -> {
			if (!isLive(existing)) {
				expired.set(noteOf(existing));
				return null;
			}
			outcome.set(outcomeOfUpdate(existing, next, expectedVersion));
			return (outcome.get() == UpdateOutcome.UPDATED) ? live(next, ((Live) existing).note()) : existing;
		});
		tellExpired(next.id(), expired.get());
		return outcome.get();
	}

	@Override
	public Optional<SessionRecord> terminate(SessionId id, String owner) {
		AtomicReference<Optional<SessionRecord>> replaced = new AtomicReference<>(Optional.empty());
		AtomicReference<@Nullable ExpiryNote> expired = new AtomicReference<>();
		this.entries.compute(id, (key, existing) -> {
			if (isLive(existing) && existing instanceof Live live) {
				replaced.set(Optional.of(live.record()));
			}
			else {
				expired.set(noteOf(existing));
			}
			return new Tombstone(owner, this.ttl.now().plus(this.ttl.tombstone()));
		});
		tellExpired(id, expired.get());
		return replaced.get();
	}

	@Override
	public CompletionStage<Boolean> createAsync(SessionRecord record) {
		return AsyncSessionStore.answeredAtOnce(() -> create(record));
	}

	@Override
	public CompletionStage<Boolean> createAsync(SessionRecord record, Optional<ExpiryNote> note) {
		return AsyncSessionStore.answeredAtOnce(() -> create(record, note));
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

	/**
	 * Drops entries whose time is up, telling the sessions among them that expired; reads
	 * never depend on this having run.
	 */
	public void removeExpired() {
		this.entries.forEach((id, entry) -> {
			// Removed only if no operation has replaced it meanwhile: each entry once.
			if (!isLive(entry) && this.entries.remove(id, entry)) {
				tellExpired(id, noteOf(entry));
			}
		});
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

	private UpdateOutcome outcomeOfUpdate(Entry existing, SessionRecord next, long expectedVersion) {
		if (existing instanceof Tombstone) {
			return UpdateOutcome.TERMINATED;
		}
		SessionRecord current = ((Live) existing).record();
		return (current.version() == expectedVersion && current.incarnation() == next.incarnation())
				? UpdateOutcome.UPDATED : UpdateOutcome.CONFLICT;
	}

	private boolean isLive(@Nullable Entry entry) {
		if (entry == null) {
			return false;
		}
		Instant now = this.ttl.now();
		return now.isBefore(entry.deadline()) && !(entry instanceof Live live && live.record().isExpiredAt(now));
	}

	private Live live(SessionRecord record, @Nullable ExpiryNote note) {
		return new Live(record, this.ttl.now().plus(this.ttl.ttlFor(record)), note);
	}

	/** The note of a session that expired, null for a tombstone or nothing. */
	private static @Nullable ExpiryNote noteOf(@Nullable Entry expired) {
		return (expired instanceof Live live) ? live.note() : null;
	}

	private void tellExpired(SessionId id, @Nullable ExpiryNote note) {
		if (note != null) {
			this.events.expired(id, note);
		}
	}

	private sealed interface Entry permits Live, Tombstone {

		Instant deadline();

	}

	/** A session, with what is told of it when it expires (null: nothing). */
	private record Live(SessionRecord record, Instant deadline, @Nullable ExpiryNote note) implements Entry {
	}

	private record Tombstone(String owner, Instant deadline) implements Entry {
	}

}
