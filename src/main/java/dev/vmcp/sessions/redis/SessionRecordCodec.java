package dev.vmcp.sessions.redis;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.ClientProfile;
import dev.vmcp.sessions.backend.ProtocolVersions;

import dev.vmcp.sessions.session.BackendHint;
import dev.vmcp.sessions.session.ExpiryNote;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionRecord;
import dev.vmcp.sessions.session.SessionState;

/**
 * Writes a {@link SessionRecord} as JSON with times in epoch milliseconds, and reads it
 * back. The stored shape is its own type so that renaming a Java field never changes what
 * other pods read.
 */
final class SessionRecordCodec {

	private final JsonMapper json;

	SessionRecordCodec(JsonMapper json) {
		this.json = json;
	}

	String encode(SessionRecord record) {
		Map<String, StoredHint> hints = new LinkedHashMap<>();
		record.hints()
			.forEach((name, hint) -> hints.put(name, new StoredHint(hint.backendSessionId(),
					hint.connectedAt().toEpochMilli(), hint.protocolVersion())));
		return this.json.writeValueAsString(new StoredRecord(record.id().value(), stateName(record.state()),
				record.version(), record.createdAt().toEpochMilli(), record.lastAccess().toEpochMilli(),
				record.expiresAt().toEpochMilli(), record.owner(), record.backends(), hints, record.metadata(),
				new StoredClient(record.client().protocolVersion(), record.client().capabilities())));
	}

	SessionRecord decode(String encoded, Instant lastAccess) {
		StoredRecord stored = this.json.readValue(encoded, StoredRecord.class);
		Map<String, BackendHint> hints = new LinkedHashMap<>();
		stored.hints()
			.forEach((name, hint) -> hints.put(name,
					new BackendHint(hint.sessionId(), Instant.ofEpochMilli(hint.connectedAt()),
							Objects.requireNonNullElse(hint.protocolVersion(), ProtocolVersions.DEFAULT_BACKEND))));
		ClientProfile client = (stored.client() != null)
				? new ClientProfile(stored.client().protocolVersion(), stored.client().capabilities())
				: ClientProfile.NONE;
		return new SessionRecord(new SessionId(stored.id()),
				SessionState.valueOf(stored.state().toUpperCase(Locale.ROOT)), stored.version(),
				Instant.ofEpochMilli(stored.createdAt()), lastAccess, Instant.ofEpochMilli(stored.expiresAt()),
				stored.owner(), stored.backends(), hints, stored.metadata(), client);
	}

	String encodeNote(ExpiryNote note) {
		return this.json.writeValueAsString(new StoredNote(note.owner(), note.issuer(), note.subject(),
				note.callerSession() ? "caller" : "client", note.expiresAt().toEpochMilli()));
	}

	ExpiryNote decodeNote(String encoded) {
		StoredNote stored = this.json.readValue(encoded, StoredNote.class);
		return new ExpiryNote(stored.owner(), stored.issuer(), stored.subject(), "caller".equals(stored.kind()),
				Instant.ofEpochMilli(stored.expiresAt()));
	}

	static String stateName(SessionState state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

	record StoredRecord(String id, String state, long version, long createdAt, long lastAccess, long expiresAt,
			String owner, List<String> backends, Map<String, StoredHint> hints, Map<String, String> metadata,
			@Nullable StoredClient client) {
	}

	/**
	 * What a session's expiry is told with; {@code kind} is {@code client} or
	 * {@code caller}.
	 */
	record StoredNote(String owner, @Nullable String issuer, @Nullable String subject, String kind, long expiresAt) {
	}

	/** A record written before revisions were kept has no protocol version. */
	record StoredHint(String sessionId, long connectedAt, @Nullable String protocolVersion) {
	}

	/** The client's declaration; records written before the MCP front door have none. */
	record StoredClient(String protocolVersion, String capabilities) {
	}

}
