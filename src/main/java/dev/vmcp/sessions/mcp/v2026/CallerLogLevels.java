package dev.vmcp.sessions.mcp.v2026;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.session.MetadataPatch;
import dev.vmcp.sessions.session.SessionContentionException;
import dev.vmcp.sessions.session.SessionRecord;
import dev.vmcp.sessions.session.SessionService;
import dev.vmcp.sessions.session.StoreUnavailableException;
import dev.vmcp.sessions.session.VersionMismatchException;

/**
 * The level at which a 2025 member sends log messages in a caller session: 2026-07-28
 * requests each name their own level, a 2025 member knows only the one
 * {@code logging/setLevel} set for the whole session, which all of the caller's requests
 * share. So the session gets the lowest level any of its requests asked for (the gateway
 * then gives each request only the messages at its own level and above), and keeps it in
 * its record, with the member's session id it was sent in: every pod knows it without
 * asking the member again, and a member session initialized anew gets it again. Two pods
 * that lower it at once both write conditionally; the one that loses sends the level that
 * won again if it is lower than its own, so that the member ends at the lowest.
 */
final class CallerLogLevels {

	/** The metadata key of the level a member's session has, per member. */
	static final String METADATA_KEY_PREFIX = "vmcp.mcp.log-level.";

	private static final int MAX_ATTEMPTS = 4;

	private static final Logger logger = LoggerFactory.getLogger(CallerLogLevels.class);

	private final Members members;

	private final SessionService sessions;

	CallerLogLevels(Members members, SessionService sessions) {
		this.members = members;
		this.sessions = sessions;
	}

	/**
	 * Makes the member send log messages at {@code wanted} or lower in the caller session
	 * {@code record} is of; does nothing when it does so already. A failure only costs
	 * the request messages it asked for: it is logged, the request goes on.
	 * @param backendSessionId the member's session id in it, the one the level is set in
	 */
	void lowerTo(StatelessContext context, String member, SessionRecord record, String backendSessionId,
			LogLevel wanted) {
		try {
			lower(context, member, record, backendSessionId, wanted);
		}
		catch (BackendUnavailableException | StoreUnavailableException | SessionContentionException ex) {
			logger.warn("The log level of {} for backend {} stays as it was: {}", context.shortId(), member,
					ex.getMessage());
		}
	}

	private void lower(StatelessContext context, String member, SessionRecord record, String backendSessionId,
			LogLevel wanted) {
		SessionRecord current = record;
		@Nullable LogLevel sent = null;
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			Optional<LogLevel> recorded = recorded(current, member, backendSessionId);
			LogLevel target = recorded.map(wanted::lower).orElse(wanted);
			boolean recordedAlready = recorded.isPresent() && recorded.get() == target;
			if (recordedAlready && sent == null) {
				return;
			}
			if (sent != target) {
				setLevel(context, member, target);
				sent = target;
			}
			if (recordedAlready) {
				return;
			}
			try {
				this.sessions.updateMetadata(context.caller(), current.id(),
						new MetadataPatch(
								Map.of(METADATA_KEY_PREFIX + member, backendSessionId + " " + target.wireName())),
						OptionalLong.of(current.version()));
				return;
			}
			catch (VersionMismatchException ex) {
				// Another pod wrote first: the level it recorded may be lower than ours.
				current = this.sessions.get(context.caller(), current.id()).record();
			}
		}
		throw new SessionContentionException(record.id());
	}

	private void setLevel(StatelessContext context, String member, LogLevel level) {
		ObjectNode params = JsonRpc.objectNode();
		params.put("level", level.wireName());
		JsonNode answer = this.members.call(context, member, "logging/setLevel", params);
		if (answer.has("error")) {
			// A member without the logging capability sends no log messages at any level:
			// the level is recorded all the same, so that it is not asked on every
			// request.
			logger.debug("Backend {} refused logging/setLevel: {}", member, answer.path("error").path("message"));
		}
	}

	/** The level the record says the member's session {@code backendSessionId} has. */
	private static Optional<LogLevel> recorded(SessionRecord record, String member, String backendSessionId) {
		String value = record.metadata().get(METADATA_KEY_PREFIX + member);
		String prefix = backendSessionId + " ";
		if (value == null || !value.startsWith(prefix)) {
			return Optional.empty();
		}
		return LogLevel.named(value.substring(prefix.length()));
	}

}
