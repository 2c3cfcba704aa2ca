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
 */
@ConfigurationProperties("vmcp.audit")
public record AuditProperties(@DefaultValue("true") boolean enabled, @DefaultValue("plain") SubjectMode subject,
		@DefaultValue("none") ArgumentsMode arguments) {

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
