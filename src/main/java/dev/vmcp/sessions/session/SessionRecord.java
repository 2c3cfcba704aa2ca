package dev.vmcp.sessions.session;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vmcp.sessions.backend.ClientProfile;

/**
 * The stored part of a session, shared by all pods. Immutable: every change makes a new
 * record whose version is one more than the one it replaces.
 *
 * @param id the session id
 * @param state pending or active (terminated records are tombstones, see
 * {@link LoadResult.Terminated})
 * @param version +1 on every write; the basis of conditional updates
 * @param createdAt creation time
 * @param lastAccess last time a caller used the session
 * @param expiresAt absolute end of life, whatever the activity
 * @param owner HMAC binding of the owner's identity, or {@code anonymous}
 * @param backends intended membership: the backends this session fans out to
 * @param hints per backend, how to resume its session; a backend without a hint is
 * reconnected with a fresh initialize
 * @param metadata user metadata
 * @param client what the MCP client declared at initialize, with which every backend is
 * initialized on its behalf ({@link ClientProfile#NONE} for a session created over REST)
 */
public record SessionRecord(SessionId id, SessionState state, long version, Instant createdAt, Instant lastAccess,
		Instant expiresAt, String owner, List<String> backends, Map<String, BackendHint> hints,
		Map<String, String> metadata, ClientProfile client) {

	public SessionRecord {
		backends = List.copyOf(backends);
		hints = Map.copyOf(hints);
		metadata = Map.copyOf(metadata);
	}

	/** A new pending record at version 1. */
	public static SessionRecord pending(SessionId id, Instant now, Instant expiresAt, String owner,
			List<String> backends, Map<String, String> metadata, ClientProfile client) {
		return new SessionRecord(id, SessionState.PENDING, 1, now, now, expiresAt, owner, backends, Map.of(), metadata,
				client);
	}

	/** A new pending record at version 1, for a session without an MCP client. */
	public static SessionRecord pending(SessionId id, Instant now, Instant expiresAt, String owner,
			List<String> backends, Map<String, String> metadata) {
		return pending(id, now, expiresAt, owner, backends, metadata, ClientProfile.NONE);
	}

	/**
	 * Which session of its id the record is of. A caller session's id is derived, so once
	 * its record expires the same id names a new session: the creation time tells them
	 * apart, to the millisecond the store keeps.
	 */
	public long incarnation() {
		return this.createdAt.toEpochMilli();
	}

	/**
	 * Whether this record is of a later session of the id than {@code other}, or a later
	 * version of the same session.
	 */
	public boolean isNewerThan(SessionRecord other) {
		return (incarnation() != other.incarnation()) ? incarnation() > other.incarnation()
				: this.version > other.version;
	}

	/** Whether the absolute lifetime has run out at {@code now}. */
	public boolean isExpiredAt(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

	/**
	 * The successor of this record: same content, next version, accessed at {@code now}.
	 */
	public SessionRecord successor(Instant now) {
		return new SessionRecord(this.id, this.state, this.version + 1, this.createdAt, now, this.expiresAt, this.owner,
				this.backends, this.hints, this.metadata, this.client);
	}

	/** This record made active with the given hints. */
	public SessionRecord activated(Map<String, BackendHint> openedHints) {
		return new SessionRecord(this.id, SessionState.ACTIVE, this.version, this.createdAt, this.lastAccess,
				this.expiresAt, this.owner, this.backends, openedHints, this.metadata, this.client);
	}

	/** This record with its hints replaced. */
	public SessionRecord withHints(Map<String, BackendHint> newHints) {
		return new SessionRecord(this.id, this.state, this.version, this.createdAt, this.lastAccess, this.expiresAt,
				this.owner, this.backends, newHints, this.metadata, this.client);
	}

	/** This record without the hint of one backend; membership is unchanged. */
	public SessionRecord withoutHint(String backend) {
		Map<String, BackendHint> remaining = new LinkedHashMap<>(this.hints);
		remaining.remove(backend);
		return withHints(remaining);
	}

	/** This record with its metadata replaced. */
	public SessionRecord withMetadata(Map<String, String> newMetadata) {
		return new SessionRecord(this.id, this.state, this.version, this.createdAt, this.lastAccess, this.expiresAt,
				this.owner, this.backends, this.hints, newMetadata, this.client);
	}

	/**
	 * This record as seen at {@code lastAccess}; the version is unchanged (reads do not
	 * write).
	 */
	public SessionRecord accessedAt(Instant accessTime) {
		return new SessionRecord(this.id, this.state, this.version, this.createdAt, accessTime, this.expiresAt,
				this.owner, this.backends, this.hints, this.metadata, this.client);
	}

}
