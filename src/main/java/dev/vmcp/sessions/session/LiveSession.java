package dev.vmcp.sessions.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import dev.vmcp.sessions.backend.BackendConnection;

/**
 * The live part of a session on this pod: one open connection per connected backend, and
 * when each failing backend last failed.
 * <p>
 * Thread-safe. {@link #lock()} serializes the reconciliation of one session's backends so
 * that two requests never reconnect the same backend twice; it is never held by the
 * cache.
 */
public final class LiveSession {

	private final SessionId id;

	private final ConcurrentMap<String, BackendConnection> connections = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Instant> failures = new ConcurrentHashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	private volatile boolean closed;

	private volatile @Nullable SessionRecord synced;

	public LiveSession(SessionId id) {
		this.id = id;
	}

	public SessionId id() {
		return this.id;
	}

	public Optional<BackendConnection> connection(String backend) {
		return Optional.ofNullable(this.connections.get(backend));
	}

	public List<BackendConnection> connections() {
		return List.copyOf(this.connections.values());
	}

	/** When {@code backend} last failed to connect, if its last attempt failed. */
	public Optional<Instant> failedAt(String backend) {
		return Optional.ofNullable(this.failures.get(backend));
	}

	/** The record this live session was last reconciled with, if any. */
	public Optional<SessionRecord> synced() {
		return Optional.ofNullable(this.synced);
	}

	void markSynced(SessionRecord record) {
		this.synced = record;
	}

	/** Holds a new connection, closing the one it replaces. */
	void attach(BackendConnection connection) {
		this.failures.remove(connection.backend());
		BackendConnection previous = this.connections.put(connection.backend(), connection);
		if (previous != null && previous != connection) {
			previous.close();
		}
		if (this.closed) {
			connection.close();
		}
	}

	/** Closes and forgets the connection to {@code backend}, if any. */
	void detach(String backend) {
		BackendConnection previous = this.connections.remove(backend);
		if (previous != null) {
			previous.close();
		}
	}

	/** Closes and forgets the connection to {@code backend} if it is to that session. */
	void detachIfSession(String backend, String backendSessionId) {
		BackendConnection held = this.connections.get(backend);
		if (held != null && held.backendSessionId().equals(backendSessionId)
				&& this.connections.remove(backend, held)) {
			held.close();
		}
	}

	void markFailed(String backend, Instant when) {
		detach(backend);
		this.failures.put(backend, when);
	}

	ReentrantLock lock() {
		return this.lock;
	}

	/** Closes every connection locally; the backends' sessions live on. Idempotent. */
	public void close() {
		this.closed = true;
		this.connections.values().forEach(BackendConnection::close);
	}

	public boolean isClosed() {
		return this.closed;
	}

}
