package dev.vmcp.sessions.web;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.jspecify.annotations.Nullable;

import dev.vmcp.sessions.session.BackendStatus;
import dev.vmcp.sessions.session.SessionId;
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
@Schema(name = "Session", description = "A session", additionalProperties = AdditionalPropertiesValue.FALSE)
record SessionView(
		@Schema(requiredMode = RequiredMode.REQUIRED, example = "7kZNX30PrENQunbBeE66TK7EqLahpgkzfEH6WeX3rHY",
				pattern = "^" + SessionId.PATTERN + "$") String id,
		@Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = "active") String state,
		@Schema(requiredMode = RequiredMode.REQUIRED) Instant createdAt,
		@Schema(requiredMode = RequiredMode.REQUIRED,
				description = "The end of its absolute lifetime") Instant expiresAt,
		@Schema(requiredMode = RequiredMode.REQUIRED, description = "Also sent as the ETag",
				example = "3") long version,
		@Schema(requiredMode = RequiredMode.REQUIRED, example = "{\"team\": \"blue\"}") Map<String, String> metadata,
		@Schema(requiredMode = RequiredMode.REQUIRED) List<BackendView> backends) {

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
	 * @param connectedAt when its current backend session was initialized; {@code null}
	 * while it has none
	 */
	@Schema(name = "SessionBackend", description = "A member backend, as the answering instance holds it",
			requiredProperties = { "name", "state", "connectedAt" },
			additionalProperties = AdditionalPropertiesValue.FALSE)
	record BackendView(@Schema(example = "alpha") String name, @Schema(allowableValues = {
			"connected", "failed", "disconnected" }) String state,
			@Schema(nullable = true) @Nullable Instant connectedAt){

		static BackendView of(BackendStatus status) {
			return new BackendView(status.name(), lower(status.state()), status.connectedAt());
		}

	}

}
