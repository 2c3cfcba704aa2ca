package dev.vmcp.sessions.mcp.v2026;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.OpenAnswer;
import dev.vmcp.sessions.mcp.ClientAccepts;
import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.RequestStates;
import dev.vmcp.sessions.mcp.RequestStates.ParkedState;
import dev.vmcp.sessions.mcp.bridge.CallHolder;
import dev.vmcp.sessions.mcp.bridge.ParkedCall;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls.Next;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls.Resumed;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.SessionId;

/**
 * A 2025 member's questions during a call (elicitation, sampling, roots) as a 2026-07-28
 * client must get them: the call is parked in the store, the member's answer stream stays
 * open on this pod, and the client gets an {@code InputRequiredResult} whose
 * {@code requestState} names the parked call, signed. The retry, on any pod, posts the
 * client's answers to the member's session and answers with whatever the member sends
 * next: its next question (another {@code InputRequiredResult}) or the call's result,
 * with the notifications sent meanwhile on the retry's stream.
 */
final class MemberQuestions {

	/** The requests a 2026-07-28 server may answer with {@code InputRequiredResult}. */
	private static final Set<String> ROUND_TRIP_METHODS = Set.of("tools/call", "prompts/get", "resources/read");

	private final ParkedCalls calls;

	private final RequestStates states;

	private final Members members;

	private final JsonMapper json;

	MemberQuestions(ParkedCalls calls, RequestStates states, Members members, JsonMapper json) {
		this.calls = calls;
		this.states = states;
		this.members = members;
		this.json = json;
	}

	/** Whether a question during a call of this method can reach the client. */
	static boolean parksOn(String method) {
		return ROUND_TRIP_METHODS.contains(method);
	}

	/**
	 * Parks the call {@code request} on the member's first question and answers the
	 * client with it.
	 * @param requestKey what the client's states are bound to
	 * @return the holder of the rest of the member's answer, or null when the call cannot
	 * be parked (it does not go through a caller session)
	 */
	@Nullable Consumer<OpenAnswer> park(StatelessContext context, ObjectNode request, String requestKey, String member,
			JsonNode question, ClientResponse answer) {
		SessionId session = context.callerSessionId(member).orElse(null);
		if (session == null) {
			return null;
		}
		String key = this.calls.newKey();
		JsonNode callId = request.get("id");
		this.calls.park(key, new ParkedCall(member, session.value(), this.calls.pod(), text(callId)));
		try {
			answer
				.answer(JsonRpc.result(callId, inputRequired(context.caller(), requestKey, member, key, 0, question)));
		}
		catch (UncheckedIOException ex) {
			this.calls.end(key);
			throw ex;
		}
		return (open) -> CallHolder.start(this.calls, key, open, () -> cancel(context, member, callId), this.json);
	}

	/**
	 * Resumes a parked call with the client's answers, and answers the retry with what
	 * the member sends next.
	 * @throws JsonRpcError ({@code -32602}) when an answer is missing, the call is no
	 * longer parked (its state expired) or the round was resumed already
	 */
	String resume(StatelessContext context, ObjectNode request, String requestKey, String member, ParkedState parked,
			ClientAccepts accepts, HttpServletResponse response, StatelessDialect dialect) {
		JsonNode answers = request.path("params").path("inputResponses");
		parked.questions().keySet().forEach((key) -> {
			if (!answers.path(key).isObject()) {
				throw new JsonRpcError(JsonRpc.INVALID_PARAMS, "Invalid params: inputResponses must answer " + key);
			}
		});
		Duration callTimeout = this.members.definition(member).callTimeout();
		ParkedCall call = switch (this.calls.claim(parked.parkKey(), parked.round(),
				callTimeout.plus(this.calls.inputWait()))) {
			case Resumed.Call resumed -> resumed.call();
			case Resumed.Gone gone -> throw RequestStates.expired();
			case Resumed.Taken taken -> throw RequestStates.usedAlready();
		};
		ClientResponse relay = new ClientResponse(response, accepts, this.json, dialect, member);
		JsonNode retryId = request.get("id");
		try {
			context.useCallerSession(member, new SessionId(call.session()));
			parked.questions()
				.forEach((key, memberId) -> this.members.post(context, member,
						text(JsonRpc.result(this.json.readTree(memberId), answers.get(key)))));
		}
		catch (BackendUnavailableException ex) {
			this.calls.end(parked.parkKey());
			relay.answer(JsonRpc.error(retryId, JsonRpc.BACKEND_UNAVAILABLE,
					"The answers did not reach backend " + member + ": " + ex.getMessage()));
			return member;
		}
		relayNext(context.caller(), requestKey, member, parked, call, callTimeout, request, relay);
		return member;
	}

	/**
	 * Relays what the member sends next, up to its next question or the call's result.
	 */
	private void relayNext(Caller caller, String requestKey, String member, ParkedState parked, ParkedCall call,
			Duration callTimeout, ObjectNode retry, ClientResponse relay) {
		String key = parked.parkKey();
		JsonNode retryId = retry.get("id");
		JsonNode progressToken = retry.path("params").path("_meta").get("progressToken");
		while (true) {
			switch (this.calls.next(key, call.holder(), callTimeout)) {
				case Next.Message message -> {
					JsonNode sent = this.json.readTree(message.text());
					if (JsonRpc.isNotification(sent)) {
						relay.begin(true);
						relayNotification(message.text(), sent, progressToken, relay);
						continue;
					}
					if (JsonRpc.isRequest(sent)) {
						this.calls.waitForClient(key);
						relay.answer(JsonRpc.result(retryId,
								inputRequired(caller, requestKey, member, key, parked.round() + 1, sent)));
						return;
					}
					this.calls.end(key);
					ObjectNode result = ((ObjectNode) sent).deepCopy();
					result.set("id", retryId);
					relay.begin(false);
					relay.message(text(result), result);
					return;
				}
				case Next.HolderLost lost -> {
					this.calls.end(key);
					relay
						.answer(JsonRpc.error(retryId, JsonRpc.BACKEND_UNAVAILABLE, "The gateway pod that held backend "
								+ member + "'s answer stream for this call is gone: the call is lost; send it again"));
					return;
				}
				case Next.TimedOut timedOut -> {
					this.calls.end(key);
					relay.answer(JsonRpc.error(retryId, JsonRpc.BACKEND_UNAVAILABLE, "Backend " + member
							+ " did not go on with the call within " + callTimeout.toMillis() + " ms of the answers"));
					return;
				}
			}
		}
	}

	/**
	 * A notification sent after the question, on the retry's stream: progress under the
	 * token the retry asked it under (the member knows only the first request's).
	 */
	private void relayNotification(String text, JsonNode notification, @Nullable JsonNode progressToken,
			ClientResponse relay) {
		if (progressToken != null && notification.path("method").asString("").equals("notifications/progress")
				&& notification.get("params") instanceof ObjectNode params) {
			ObjectNode retokened = ((ObjectNode) notification).deepCopy();
			((ObjectNode) retokened.get("params")).set("progressToken", progressToken);
			relay.message(text(retokened), retokened);
			return;
		}
		relay.message(text, notification);
	}

	/**
	 * The {@code InputRequiredResult} carrying the member's question, with a state that
	 * names the parked call, the round, and the member's id for the question.
	 */
	private ObjectNode inputRequired(Caller caller, String requestKey, String member, String key, long round,
			JsonNode question) {
		String method = question.path("method").asString("");
		String questionKey = method.substring(0, Math.max(0, method.indexOf('/'))) + "-" + (round + 1);
		ObjectNode result = JsonRpc.objectNode().put("resultType", "input_required");
		ObjectNode asked = result.putObject("inputRequests").putObject(questionKey);
		asked.put("method", method);
		if (question.has("params")) {
			asked.set("params", question.get("params"));
		}
		ParkedState state = new ParkedState(key, round, Map.of(questionKey, text(question.get("id"))));
		result.put("requestState", this.states.wrapParked(caller, requestKey, member, state));
		return result;
	}

	/** Tells the member its call was cancelled (the client did not answer in time). */
	private void cancel(StatelessContext context, String member, JsonNode callId) {
		ObjectNode cancelled = JsonRpc.notification("notifications/cancelled");
		cancelled.putObject("params").put("reason", "The client did not answer in time").set("requestId", callId);
		this.members.post(context, member, text(cancelled));
	}

	private String text(JsonNode node) {
		return this.json.writeValueAsString(node);
	}

}
