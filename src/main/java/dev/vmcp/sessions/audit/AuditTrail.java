package dev.vmcp.sessions.audit;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.SessionEvents;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionRecord;

/**
 * Writes the audit events: one per routed client request that names a tool, prompt,
 * resource or task, and one per session start and end. Each is built from what the
 * request already has (no store call) and written on its own logger, {@value #LOGGER}.
 * Argument values are never written; their digest only when asked for. Thread-safe.
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

	AuditTrail(AuditProperties properties, AuditLog log) {
		this.properties = properties;
		this.log = log;
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
