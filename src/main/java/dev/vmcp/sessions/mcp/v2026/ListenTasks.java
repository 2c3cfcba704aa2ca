package dev.vmcp.sessions.mcp.v2026;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.MemberRevision;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.LegacyTasks;
import dev.vmcp.sessions.mcp.TaskIds;

/**
 * The {@code taskIds} of a {@code subscriptions/listen} filter (extension
 * {@code io.modelcontextprotocol/tasks}): the gateway's ids, each unwrapped into its
 * member and the member's own id, for the listen of each 2026-07-28 member that offers
 * the extension. An id another caller got, an altered one, or one of a member that cannot
 * send its task's notifications on a listen (a 2025 member, whose task status goes to the
 * standalone stream of the session it was created in) is left out of the acknowledgment,
 * which names the ids the gateway agreed to, as the extension says.
 *
 * @param byMember each member's own ids, by member
 * @param accepted the gateway's ids agreed to, in the client's order
 */
record ListenTasks(Map<String, List<String>> byMember, List<String> accepted) {

	static final String FIELD = "taskIds";

	/**
	 * @throws JsonRpcError ({@code -32021}) when the filter asks for task notifications
	 * and the client did not declare the extension
	 */
	static ListenTasks of(StatelessContext context, TaskIds taskIds, JsonNode requested) {
		Map<String, List<String>> byMember = new LinkedHashMap<>();
		List<String> accepted = new ArrayList<>();
		JsonNode wanted = requested.path(FIELD);
		if (wanted.isEmpty()) {
			return new ListenTasks(byMember, accepted);
		}
		if (!context.declaredCapabilities().path("extensions").has(LegacyTasks.EXTENSION)) {
			ObjectNode data = JsonRpc.objectNode();
			data.putObject("requiredCapabilities").putObject("extensions").putObject(LegacyTasks.EXTENSION);
			throw new JsonRpcError(JsonRpc.MISSING_REQUIRED_CLIENT_CAPABILITY,
					"Missing required client capability: extension " + LegacyTasks.EXTENSION
							+ ", for task notifications",
					data);
		}
		Map<String, MemberRevision> revisions = context.revisions();
		for (JsonNode taskId : wanted) {
			TaskIds.MemberTask task;
			try {
				task = taskIds.unwrap(context.caller(), taskId.asString(""));
			}
			catch (JsonRpcError ex) {
				continue;
			}
			MemberRevision revision = revisions.get(task.member());
			if (revision != null && revision.stateless() && offersTasks(revision)) {
				byMember.computeIfAbsent(task.member(), (member) -> new ArrayList<>()).add(task.taskId());
				accepted.add(taskId.asString());
			}
		}
		return new ListenTasks(byMember, accepted);
	}

	/** Adds the ids agreed to, if any, to the acknowledgment's filter. */
	ObjectNode acknowledge(ObjectNode honoured) {
		if (!this.accepted.isEmpty()) {
			this.accepted.forEach(honoured.putArray(FIELD)::add);
		}
		return honoured;
	}

	/** Adds the member's own ids, if any, to the filter its listen gets. */
	ObjectNode forMember(String member, ObjectNode filter) {
		List<String> own = this.byMember.get(member);
		if (own != null) {
			ArrayNode ids = filter.putArray(FIELD);
			own.forEach(ids::add);
		}
		return filter;
	}

	private static boolean offersTasks(MemberRevision revision) {
		return revision.discoverResult()
			.map((result) -> result.path("capabilities").path("extensions").has(LegacyTasks.EXTENSION))
			.orElse(false);
	}

}
