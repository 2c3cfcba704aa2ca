package dev.vmcp.sessions.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import dev.vmcp.sessions.session.Caller;

/**
 * Writes audit events on the {@value AuditTrail#LOGGER} logger, each field a key-value
 * pair that the structured (ECS) encoder writes as a JSON field, nested at its dots:
 * {@code event.*}, {@code user.*}, {@code error.code}, {@code host.name} of ECS, and
 * {@code vmcp.*} for what ECS has no field for. Thread-safe.
 */
final class AuditLog {

	private static final Logger logger = LoggerFactory.getLogger(AuditTrail.LOGGER);

	private final AuditProperties.SubjectMode subjectMode;

	private final String pod;

	AuditLog(AuditProperties.SubjectMode subjectMode, String pod) {
		this.subjectMode = subjectMode;
		this.pod = pod;
	}

	void write(AuditEvent event) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		LoggingEventBuilder entry = logger.atInfo()
			.addKeyValue("event.kind", "event")
			.addKeyValue("event.dataset", AuditTrail.LOGGER)
			.addKeyValue("event.action", event.action())
			.addKeyValue("event.duration", event.durationNanos())
			.addKeyValue("host.name", this.pod);
		outcome(entry, event.outcome());
		caller(entry, event.caller());
		optional(entry, "vmcp.member", event.member());
		optional(entry, "vmcp.name", event.name());
		optional(entry, "vmcp.arguments.sha256", event.argumentsDigest());
		optional(entry, "vmcp.session.id", event.sessionId());
		if (event.callerSession() != null) {
			entry.addKeyValue("vmcp.session.kind", event.callerSession() ? "caller" : "client");
		}
		entry.log(message(event));
	}

	private static void outcome(LoggingEventBuilder entry, AuditOutcome outcome) {
		switch (outcome) {
			case AuditOutcome.Ok ok -> entry.addKeyValue("event.outcome", "success").addKeyValue("vmcp.outcome", "ok");
			case AuditOutcome.Error error -> entry.addKeyValue("event.outcome", "failure")
				.addKeyValue("vmcp.outcome", "error")
				.addKeyValue("error.code", Integer.toString(error.code()));
			case AuditOutcome.Denied denied -> entry.addKeyValue("event.outcome", "failure")
				.addKeyValue("vmcp.outcome", "denied")
				.addKeyValue("event.reason", denied.reason());
			case AuditOutcome.Expired expired -> entry.addKeyValue("event.outcome", "success")
				.addKeyValue("vmcp.outcome", "expired")
				.addKeyValue("event.reason", expired.reason());
			case AuditOutcome.Refused refused -> entry.addKeyValue("event.outcome", "failure")
				.addKeyValue("vmcp.outcome", "refused")
				.addKeyValue("error.code", Integer.toString(refused.code()))
				.addKeyValue("http.response.status_code", refused.httpStatus())
				.addKeyValue("event.reason", refused.reason());
		}
	}

	private void caller(LoggingEventBuilder entry, Caller caller) {
		if (this.subjectMode == AuditProperties.SubjectMode.HASHED || caller.subject() == null) {
			entry.addKeyValue("user.id", caller.owner());
			return;
		}
		entry.addKeyValue("user.id", caller.subject());
		optional(entry, "user.domain", caller.issuer());
	}

	private static void optional(LoggingEventBuilder entry, String key, @Nullable String value) {
		if (value != null) {
			entry.addKeyValue(key, value);
		}
	}

	/**
	 * A line for people: what, on what, how it ended; never who (the subject may be
	 * hashed).
	 */
	private static String message(AuditEvent event) {
		StringBuilder message = new StringBuilder(event.action());
		if (event.name() != null) {
			message.append(' ').append(event.name());
		}
		else if (event.sessionId() != null) {
			message.append(' ').append(event.sessionId());
		}
		if (event.member() != null) {
			message.append(" -> ").append(event.member());
		}
		String outcome = switch (event.outcome()) {
			case AuditOutcome.Ok ok -> "ok";
			case AuditOutcome.Error error -> "error " + error.code();
			case AuditOutcome.Denied denied -> "denied: " + denied.reason();
			case AuditOutcome.Expired expired -> "expired (" + expired.reason() + ")";
			case AuditOutcome.Refused refused -> "refused " + refused.code() + ": " + refused.reason();
		};
		return message.append(": ").append(outcome).toString();
	}

	/**
	 * The pod's name: in Kubernetes, {@code HOSTNAME} is the pod's name; elsewhere the
	 * host's name.
	 */
	static String podName() {
		String hostname = System.getenv("HOSTNAME");
		if (hostname != null && !hostname.isBlank()) {
			return hostname;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

}
