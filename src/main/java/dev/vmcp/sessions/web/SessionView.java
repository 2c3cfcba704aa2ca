package dev.vmcp.sessions.web;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.vmcp.sessions.session.BackendStatus;
import dev.vmcp.sessions.session.SessionSnapshot;

/**
 * A session as the API shows it. Never the backends' own session ids nor the owner
 * binding: those are the service's business.
 *
 * @param id the session id
 * @param state always {@code active} (other sessions are not shown)
 * @param createdAt creation time
 * @param expiresAt absolute end of life
 * @param version the version, also sent as the {@code ETag}
 * @param metadata user metadata
 * @param backends the member backends and their state on the answering pod
 */
record SessionView(String id, String state, Instant createdAt, Instant expiresAt, long version,
		Map<String, String> metadata, List<BackendView> backends) {

	static SessionView of(SessionSnapshot snapshot) {
		var record = snapshot.record();
		return new SessionView(record.id().value(), lower(record.state()), record.createdAt(), record.expiresAt(),
				record.version(), record.metadata(), snapshot.backends().stream().map(BackendView::of).toList());
	}

	private static String lower(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * One member backend.
	 *
	 * @param name the backend
	 * @param state {@code connected}, {@code failed} or {@code disconnected}
	 * @param connectedAt when its current backend session was initialized
	 */
	record BackendView(String name, String state, @Nullable Instant connectedAt) {

		static BackendView of(BackendStatus status) {
			return new BackendView(status.name(), lower(status.state()), status.connectedAt());
		}

	}

}
