package dev.vmcp.sessions.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit trail, under {@code vmcp.audit}.
 *
 * @param enabled whether audit events are written at all
 * @param subject how the caller is named: {@code plain} (the token's subject and issuer)
 * or {@code hashed} (the owner binding, an HMAC of both, which names nobody without the
 * binding secret)
 * @param arguments what is written of a request's arguments: {@code none}, or
 * {@code digest} (the SHA-256 of their canonical JSON, to match a call against a known
 * one without keeping the values)
 * @param expiryEvents whether sessions that end by expiry get an event, and how
 */
@ConfigurationProperties("vmcp.audit")
public record AuditProperties(@DefaultValue("true") boolean enabled, @DefaultValue("plain") SubjectMode subject,
		@DefaultValue("none") ArgumentsMode arguments, @DefaultValue ExpiryEvents expiryEvents) {

	/** Whether a session that expires is told, and who configures Redis to tell it. */
	public boolean tellsExpiries() {
		return this.enabled && this.expiryEvents.enabled();
	}

	/**
	 * The events of sessions that end by expiry, under {@code vmcp.audit.expiry-events}.
	 *
	 * @param enabled whether a session that expires (idle, or its lifetime over) gets a
	 * {@code session-end} event; with Redis, each pod then listens to Redis's
	 * notifications of expired keys, and each session keeps a small key beside its record
	 * until it ends
	 * @param configureRedis whether each pod turns Redis's notifications of expired keys
	 * on at start ({@code CONFIG SET notify-keyspace-events}, adding {@code Ex} to what
	 * is set); off where Redis forbids {@code CONFIG} (managed services), which must then
	 * have {@code notify-keyspace-events} include {@code Ex} in their own configuration
	 */
	public record ExpiryEvents(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean configureRedis) {

		/** The defaults: events, and Redis configured by the pods. */
		public static final ExpiryEvents ON = new ExpiryEvents(true, true);

	}

	/** How the caller is named in audit events. */
	public enum SubjectMode {

		/** The token's subject ({@code user.id}) and issuer ({@code user.domain}). */
		PLAIN,

		/** The owner binding ({@code user.id}): an HMAC of issuer and subject. */
		HASHED

	}

	/** What is written of a request's arguments. */
	public enum ArgumentsMode {

		/** Nothing. */
		NONE,

		/** The SHA-256 of the arguments' canonical JSON ({@link ArgumentDigest}). */
		DIGEST

	}

}
