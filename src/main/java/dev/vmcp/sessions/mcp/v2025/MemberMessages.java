package dev.vmcp.sessions.mcp.v2025;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.ClientContext;
import dev.vmcp.sessions.mcp.ClientTaskIds;
import dev.vmcp.sessions.mcp.ClientDialect;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.McpMetrics;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.MemberIds;
import dev.vmcp.sessions.mcp.StreamEvents;
import dev.vmcp.sessions.mcp.TaskIds;

/**
 * Prepares what a member sends for the client: a request of the member's own (sampling,
 * elicitation, roots) gets an id that names the member, so that the client's answer can
 * reach it from any pod; a list change makes every pod forget the session's catalogs; a
 * member's task ids become the gateway's ({@link ClientTaskIds}). Everything else passes
 * through exactly as the member wrote it (a 2026-07-28 member's questions during a call
 * are {@link MemberInputs}'s).
 */
final class MemberMessages {

	private static final String LIST_CHANGED_SUFFIX = "/list_changed";

	private final MemberIds ids;

	private final JsonMapper json;

	private final McpSignals signals;

	private final McpMetrics metrics;

	private final ResumableStreams resumable;

	private final TaskIds taskIds;

	MemberMessages(MemberIds ids, JsonMapper json, McpSignals signals, McpMetrics metrics, ResumableStreams resumable,
			TaskIds taskIds) {
		this.ids = ids;
		this.taskIds = taskIds;
		this.json = json;
		this.signals = signals;
		this.metrics = metrics;
		this.resumable = resumable;
	}

	/** How a 2025 client working on {@code context} sees answers. */
	ClientDialect dialect(ClientContext context) {
		return new ClientDialect() {
			@Override
			public String forClient(String member, String text, JsonNode message) {
				return MemberMessages.this.forClient(context, member, text, message);
			}

			@Override
			public JsonNode own(JsonNode message) {
				return message;
			}

			@Override
			public int status(JsonNode message) {
				return HttpServletResponse.SC_OK;
			}

			@Override
			public StreamEvents openStream() {
				// Every stream of a session can be resumed; one without a session has no
				// one to resume it.
				return (context instanceof SessionContext session) ? MemberMessages.this.resumable.forRequest(session)
						: StreamEvents.NONE;
			}
		};
	}

	/** The message as the client must see it. */
	String forClient(ClientContext context, String member, String text, JsonNode message) {
		ObjectNode namingTasks = ClientTaskIds.forSessionClient(message,
				(memberTaskId) -> this.taskIds.wrap(context.caller(), member, memberTaskId));
		JsonNode relayed = (namingTasks != null) ? namingTasks : message;
		if (JsonRpc.isRequest(relayed) && relayed instanceof ObjectNode request) {
			this.metrics.relayedServerRequest(member, request.path("method").asString(""));
			ObjectNode withOwnId = request.deepCopy();
			withOwnId.set("id", this.ids.relayedRequestId(member, request.get("id")));
			return this.json.writeValueAsString(withOwnId);
		}
		if (JsonRpc.isNotification(relayed) && relayed.path("method").asString("").endsWith(LIST_CHANGED_SUFFIX)) {
			this.signals.catalogChanged(context.catalogScope());
		}
		return (namingTasks != null) ? this.json.writeValueAsString(namingTasks) : text;
	}

}
