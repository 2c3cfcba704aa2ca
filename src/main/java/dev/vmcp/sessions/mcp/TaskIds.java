package dev.vmcp.sessions.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.Caller;

/**
 * The task ids the gateway hands out for members' tasks (extension
 * {@code io.modelcontextprotocol/tasks}): each names its member and the member's own id,
 * and is signed under the secret every pod shares, bound to the caller who created the
 * task. Any pod routes {@code tasks/get}, {@code tasks/update} and {@code tasks/cancel}
 * from the id alone; another caller's id is unknown to them. The same task always gets
 * the same id, since clients keep task ids to poll after a restart. Thread-safe.
 */
public final class TaskIds {

	private static final String PURPOSE = "mcp-task-id";

	private static final String VERSION = "t1";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final OwnerBindings signatures;

	public TaskIds(OwnerBindings signatures) {
		this.signatures = signatures;
	}

	/** The id the client gets for the member's task. */
	public String wrap(Caller caller, String member, String memberTaskId) {
		return wrap(caller, member, memberTaskId, null);
	}

	/**
	 * The id the client gets for the member's task, naming the backend session it was
	 * created in when the member binds its tasks to one (a 2025 member reached through a
	 * caller session), so that every later request about it goes through that session,
	 * whatever capabilities it declares.
	 */
	public String wrap(Caller caller, String member, String memberTaskId, @Nullable String session) {
		String payload = encode(member) + "." + encode(memberTaskId);
		if (session != null) {
			payload += "." + encode(session);
		}
		return VERSION + "." + payload + "." + signature(caller, payload);
	}

	/**
	 * The member and its own id, for an id this gateway handed this caller.
	 * @throws JsonRpcError ({@code -32602}, unknown task) otherwise
	 */
	public MemberTask unwrap(Caller caller, String taskId) {
		String[] parts = taskId.split("\\.", -1);
		if (parts.length < 4 || parts.length > 5 || !parts[0].equals(VERSION)) {
			throw unknown(taskId);
		}
		int last = parts.length - 1;
		String payload = String.join(".", Arrays.copyOfRange(parts, 1, last));
		byte[] expected = signature(caller, payload).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, parts[last].getBytes(StandardCharsets.US_ASCII))) {
			throw unknown(taskId);
		}
		try {
			return new MemberTask(decode(parts[1]), decode(parts[2]), (last == 4) ? decode(parts[3]) : null);
		}
		catch (IllegalArgumentException ex) {
			throw unknown(taskId);
		}
	}

	/**
	 * The member's task that a task request names in {@code params.taskId}, for a member
	 * of {@code context}.
	 * @throws JsonRpcError ({@code -32602}) without a task id, or for an id this gateway
	 * did not hand this caller or of a member the caller does not reach
	 */
	public MemberTask requested(ClientContext context, JsonNode params) {
		JsonNode taskId = params.get("taskId");
		if (taskId == null || !taskId.isString()) {
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS, "Invalid params: taskId is required");
		}
		MemberTask task = unwrap(context.caller(), taskId.asString());
		if (!context.members().contains(task.member())) {
			throw unknown(taskId.asString());
		}
		return task;
	}

	private String signature(Caller caller, String payload) {
		return this.signatures.sign(PURPOSE, payload + '\0' + caller.owner());
	}

	private static String encode(String text) {
		return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String decode(String encoded) {
		return new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
	}

	/** The error of a task id that names no task of the caller's. */
	public static JsonRpcError unknown(String taskId) {
		return new JsonRpcError(JsonRpc.INVALID_PARAMS, "Unknown task: " + taskId);
	}

	/**
	 * A member's task.
	 *
	 * @param member the member that runs it
	 * @param taskId the member's own id for it
	 * @param session the backend session it was created in, where the member binds its
	 * tasks to one, or null
	 */
	public record MemberTask(String member, String taskId, @Nullable String session) {
	}

}
