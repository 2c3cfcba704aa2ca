package dev.vmcp.sessions.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

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

	/** Which session of the id this is ({@link SessionRecord#incarnation()}). */
	private final long incarnation;

	private final ConcurrentMap<String, BackendConnection> connections = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Instant> failures = new ConcurrentHashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	private volatile boolean closed;

	private volatile SessionRecord synced;

	/** The live part of the session of {@code record}, connected to no backend yet. */
	public LiveSession(SessionRecord record) {
		this.id = record.id();
		this.incarnation = record.incarnation();
		this.synced = record;
	}

	public SessionId id() {
		return this.id;
	}

	/** Which session of the id this is ({@link SessionRecord#incarnation()}). */
	public long incarnation() {
		return this.incarnation;
	}

	/**
	 * Whether this is the live part of a session of the same id that ended before
	 * {@code other}'s began: the id was derived again once its record expired.
	 */
	public boolean precedes(LiveSession other) {
		return this.incarnation < other.incarnation;
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

	/** The record this live session was last reconciled with, or was created from. */
	public SessionRecord synced() {
		return this.synced;
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
