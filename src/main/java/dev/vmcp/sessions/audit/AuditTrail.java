package dev.vmcp.sessions.audit;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.ExpiryNote;
import dev.vmcp.sessions.session.SessionEvents;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionRecord;

/**
 * Writes the audit events: one per routed client request that names a tool, prompt,
 * resource or task, and one per session start and end (by expiry too, told by the store).
 * Each is built from what the request already has (no store call) and written on its own
 * logger, {@value #LOGGER}. Argument values are never written; their digest only when
 * asked for. Thread-safe.
 */
public final class AuditTrail implements SessionEvents {

	/** The logger audit events are written on: route it to a sink of its own. */
	public static final String LOGGER = "vmcp.audit";

	/**
	 * The requests audited, in either revision (a method the gateway does not route never
	 * gets here).
	 */
	static final Set<String> AUDITED_METHODS = Set.of("tools/call", "prompts/get", "resources/read", "tasks/get",
			"tasks/update", "tasks/cancel", "tasks/result", "tasks/list");

	/** The code {@code /mcp} answers for a session that does not exist. */
	private static final int SESSION_NOT_FOUND = -32001;

	private static final PendingRequest UNAUDITED = (member, outcome) -> {
	};

	private final AuditProperties properties;

	private final AuditLog log;

	private final Clock clock;

	AuditTrail(AuditProperties properties, AuditLog log) {
		this(properties, log, Clock.systemUTC());
	}

	AuditTrail(AuditProperties properties, AuditLog log, Clock clock) {
		this.properties = properties;
		this.log = log;
		this.clock = clock;
	}

	/**
	 * Starts the audit of a client request, before it is routed (routing renames what it
	 * names): its event is written when {@link PendingRequest#end} is called.
	 */
	public PendingRequest begin(Caller caller, ObjectNode request) {
		String method = request.path("method").asString("");
		if (!this.properties.enabled() || !AUDITED_METHODS.contains(method)) {
			return UNAUDITED;
		}
		long start = System.nanoTime();
		JsonNode params = request.path("params");
		String name = name(method, params);
		String digest = digest(params.get("arguments"));
		return (member, outcome) -> this.log
			.write(new AuditEvent(method, caller, member, name, outcome, start).withArgumentsDigest(digest));
	}

	/**
	 * Writes the event of a client request refused before it could be routed (no session
	 * or an unknown one, a check of its revision failed), when its method is audited.
	 * @param code the JSON-RPC error code the client got
	 * @param httpStatus the HTTP status it came with
	 * @param reason why, as the client was told (never an argument value)
	 * @param startNanos {@link System#nanoTime()} when its handling started
	 */
	public void refused(Caller caller, ObjectNode request, int code, int httpStatus, String reason, long startNanos) {
		String method = request.path("method").asString("");
		if (!this.properties.enabled() || !AUDITED_METHODS.contains(method)) {
			return;
		}
		this.log.write(new AuditEvent(method, caller, null, name(method, request.path("params")),
				AuditOutcome.refused(code, httpStatus, reason), startNanos));
	}

	@Override
	public void started(Caller caller, SessionRecord session, boolean callerSession, long startNanos) {
		if (!this.properties.enabled()) {
			return;
		}
		AuditEvent event = new AuditEvent(AuditEvent.SESSION_START, caller,
				callerSession ? session.backends().getFirst() : null, null, AuditOutcome.OK, startNanos);
		this.log.write(event.withSession(Abbreviated.of(session.id()), callerSession));
	}

	@Override
	public void ended(Caller caller, SessionId id, Ending ending, long startNanos) {
		if (!this.properties.enabled()) {
			return;
		}
		AuditOutcome outcome = switch (ending) {
			case TERMINATED -> AuditOutcome.OK;
			case UNKNOWN -> AuditOutcome.error(SESSION_NOT_FOUND);
			case REFUSED -> AuditOutcome.denied("the session is bound to another caller");
		};
		AuditEvent event = new AuditEvent(AuditEvent.SESSION_END, caller, null, null, outcome, startNanos);
		this.log.write(event.withSession(Abbreviated.of(id), null));
	}

	/**
	 * The caller as this trail names it (subject and issuer only when they are written
	 * plain), kept beside the session until it expires.
	 */
	@Override
	public Optional<ExpiryNote> expiryNote(Caller caller, SessionRecord session, boolean callerSession) {
		if (!this.properties.tellsExpiries()) {
			return Optional.empty();
		}
		boolean plain = this.properties.subject() == AuditProperties.SubjectMode.PLAIN;
		return Optional.of(new ExpiryNote(caller.owner(), plain ? caller.issuer() : null,
				plain ? caller.subject() : null, callerSession, session.expiresAt()));
	}

	@Override
	public void expired(SessionId id, ExpiryNote note) {
		if (!this.properties.enabled()) {
			return;
		}
		String reason = this.clock.instant().isBefore(note.expiresAt()) ? "idle" : "lifetime";
		AuditEvent event = new AuditEvent(AuditEvent.SESSION_END, note.caller(), null, null,
				AuditOutcome.expired(reason), System.nanoTime());
		this.log.write(event.withSession(Abbreviated.of(id), note.callerSession()));
	}

	private static @Nullable String name(String method, JsonNode params) {
		JsonNode name = switch (method) {
			case "tools/call", "prompts/get" -> params.get("name");
			case "resources/read" -> params.get("uri");
			default -> params.get("taskId");
		};
		return (name != null && name.isString()) ? name.asString() : null;
	}

	private @Nullable String digest(@Nullable JsonNode arguments) {
		if (this.properties.arguments() != AuditProperties.ArgumentsMode.DIGEST || arguments == null) {
			return null;
		}
		return ArgumentDigest.of(arguments);
	}

	/** A client request being answered, whose audit event is written when it ends. */
	@FunctionalInterface
	public interface PendingRequest {

		/**
		 * Writes the request's event.
		 * @param member the member it went to, or null when the gateway answered it
		 */
		void end(@Nullable String member, AuditOutcome outcome);

	}

}
