package dev.vmcp.sessions.mcp.v2026;

import java.util.function.BiFunction;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.OpenAnswer;
import dev.vmcp.sessions.mcp.ClientDialect;
import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.ClientTaskIds;
import dev.vmcp.sessions.mcp.JsonRpc;

/**
 * Answers as a 2026-07-28 client must see them: every result carries {@code resultType}
 * (a 2025 member's does not), a resource nobody serves is {@code -32602}, log messages
 * reach only a request that asked for them with a level, and the specification's errors
 * have their HTTP statuses when sent whole (400 for the -3202x errors, 404 for an unknown
 * method), and a member's {@code requestState} and task ids reach the client wrapped by
 * the gateway. A member's answer that needs none of this passes as the member wrote it.
 */
final class StatelessDialect implements ClientDialect {

	private static final String RESULT_TYPE = "resultType";

	private final JsonMapper json;

	private final @Nullable LogLevel logLevel;

	private final BiFunction<String, String, String> wrapState;

	private final BiFunction<String, String, String> wrapTaskId;

	private final boolean aboutTasks;

	private final Parking parking;

	/**
	 * @param logLevel the level from which the client wants log messages, null for none
	 * @param wrapState the state the client gets for a member's {@code requestState}, by
	 * member and state
	 * @param wrapTaskId the task id the client gets for a member's, by member and id
	 * @param aboutTasks whether the request is one of {@code tasks/*}, whose results name
	 * their task
	 * @param parking what becomes of the call when a 2025 member asks the client
	 * something during it
	 */
	StatelessDialect(JsonMapper json, @Nullable LogLevel logLevel, BiFunction<String, String, String> wrapState,
			BiFunction<String, String, String> wrapTaskId, boolean aboutTasks, Parking parking) {
		this.json = json;
		this.logLevel = logLevel;
		this.wrapState = wrapState;
		this.wrapTaskId = wrapTaskId;
		this.aboutTasks = aboutTasks;
		this.parking = parking;
	}

	/**
	 * A 2025 member's question: 2026-07-28 has no requests on a response stream, so the
	 * call is parked and the client answered with an {@code InputRequiredResult}, where
	 * the request allows one.
	 */
	@Override
	public @Nullable Consumer<OpenAnswer> park(String member, JsonNode question, ClientResponse answer) {
		return this.parking.park(member, question, answer);
	}

	@Override
	public @Nullable String forClient(String member, String text, JsonNode message) {
		if (JsonRpc.isRequest(message)) {
			// A 2025 member's question that could not be parked (a request that allows no
			// InputRequiredResult): 2026-07-28 has no requests on a response stream.
			return null;
		}
		if (JsonRpc.isNotification(message)) {
			ObjectNode namingTask = ClientTaskIds.forStatelessClient(message,
					(memberTaskId) -> this.wrapTaskId.apply(member, memberTaskId));
			if (namingTask != null) {
				return this.json.writeValueAsString(namingTask);
			}
			boolean log = message.path("method").asString("").equals("notifications/message");
			return (log && !wants(message)) ? null : text;
		}
		if (message.path("result").get("requestState") instanceof JsonNode state && state.isString()) {
			ObjectNode wrapped = (ObjectNode) own(message).deepCopy();
			((ObjectNode) wrapped.get("result")).put("requestState", this.wrapState.apply(member, state.asString()));
			return this.json.writeValueAsString(wrapped);
		}
		if (namesATask(message) && message.path("result").get("taskId") instanceof JsonNode taskId
				&& taskId.isString()) {
			ObjectNode wrapped = (ObjectNode) own(message).deepCopy();
			((ObjectNode) wrapped.get("result")).put("taskId", this.wrapTaskId.apply(member, taskId.asString()));
			return this.json.writeValueAsString(wrapped);
		}
		// A 2025 member's task handle, or a result naming its task.
		ObjectNode legacyTask = ClientTaskIds.forStatelessClient(message,
				(memberTaskId) -> this.wrapTaskId.apply(member, memberTaskId));
		if (legacyTask != null) {
			return this.json.writeValueAsString(own(legacyTask));
		}
		if (needsRewriting(message)) {
			return this.json.writeValueAsString(own(message));
		}
		return text;
	}

	@Override
	public JsonNode own(JsonNode message) {
		if (!needsRewriting(message) || !(message instanceof ObjectNode original)) {
			return message;
		}
		ObjectNode rewritten = original.deepCopy();
		if (rewritten.get("result") instanceof ObjectNode result) {
			result.put(RESULT_TYPE, "complete");
		}
		if (rewritten.get("error") instanceof ObjectNode error
				&& error.path("code").asInt() == JsonRpc.RESOURCE_NOT_FOUND) {
			error.put("code", JsonRpc.INVALID_PARAMS);
		}
		return rewritten;
	}

	@Override
	public int status(JsonNode message) {
		return switch (message.path("error").path("code").asInt(0)) {
			case JsonRpc.HEADER_MISMATCH, JsonRpc.MISSING_REQUIRED_CLIENT_CAPABILITY,
					JsonRpc.UNSUPPORTED_PROTOCOL_VERSION ->
				HttpServletResponse.SC_BAD_REQUEST;
			case JsonRpc.METHOD_NOT_FOUND -> HttpServletResponse.SC_NOT_FOUND;
			default -> HttpServletResponse.SC_OK;
		};
	}

	/**
	 * Whether the client asked for log messages at this one's level: a member reached
	 * through a caller session sends at the lowest level any of the caller's requests
	 * asked for, more than this request may want.
	 */
	private boolean wants(JsonNode logMessage) {
		return this.logLevel != null && this.logLevel.admits(logMessage.path("params").path("level").asString(""));
	}

	/** A task handle ({@code resultType: task}), or the answer to a task request. */
	private boolean namesATask(JsonNode message) {
		return this.aboutTasks || "task".equals(message.path("result").path(RESULT_TYPE).asString(""));
	}

	/** Parks a call on a member's question, or says it cannot (null). */
	@FunctionalInterface
	interface Parking {

		/** Never parks: the question is dropped, as the revision cannot carry it. */
		Parking NONE = (member, question, answer) -> null;

		@Nullable Consumer<OpenAnswer> park(String member, JsonNode question, ClientResponse answer);

	}

	private static boolean needsRewriting(JsonNode message) {
		JsonNode result = message.get("result");
		if (result != null) {
			return result.isObject() && !result.has(RESULT_TYPE);
		}
		return message.path("error").path("code").asInt(0) == JsonRpc.RESOURCE_NOT_FOUND;
	}

}
