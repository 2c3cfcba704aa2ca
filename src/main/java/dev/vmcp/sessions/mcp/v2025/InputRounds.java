package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.McpMetrics;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.RequiredCapabilities;
import dev.vmcp.sessions.mcp.bridge.ParkedCall;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls.Next;

/**
 * The rounds of one call whose 2026-07-28 member asks its 2025 client for input, on the
 * pod that holds the client's stream: the call is parked in the store for as long as it
 * waits for answers; each round's questions go to the client on the call's stream, and
 * the answers, queued in the store by whichever pod got them, are taken as they come.
 * Once every question of the round is answered the request goes to the member again; the
 * next round, or the final answer, follows on the same stream. A question the client did
 * not declare it can answer, an answer that does not come within
 * {@code vmcp.mcp.input-wait}, or an error the client answers with, ends the call with a
 * JSON-RPC error that says so; so does this pod stopping meanwhile. For one call, on its
 * request's thread (and {@link #podStopping()} from any).
 */
final class InputRounds {

	/** A member that asks on and on (with nothing to answer, say) is stopped here. */
	static final int MOST_ROUNDS = 32;

	private static final Logger logger = LoggerFactory.getLogger(InputRounds.class);

	private final RequestFlow flow;

	private final ParkedCalls calls;

	private final McpMetrics metrics;

	private final JsonMapper json;

	private final Duration keepAlive;

	private final SessionContext context;

	private final InputCall call;

	private final String member;

	private final ClientResponse relay;

	private final String key;

	private volatile boolean stopping;

	InputRounds(MemberInputs.Means means, SessionContext context, InputCall call, String member, ClientResponse relay) {
		this.flow = means.flow();
		this.calls = means.calls();
		this.metrics = means.metrics();
		this.json = means.json();
		this.keepAlive = means.keepAlive();
		this.context = context;
		this.call = call;
		this.member = member;
		this.relay = relay;
		this.key = means.calls().newKey();
	}

	/**
	 * Carries the call on from the member's first {@code InputRequiredResult} to its
	 * final answer, every message written on the client's stream.
	 * @param streams whether the client takes an event stream (questions need one)
	 */
	void carryOn(JsonNode asked, boolean streams) {
		JsonNode clientId = this.call.clientId();
		this.relay.begin(true);
		if (!streams) {
			this.relay.answer(JsonRpc.error(clientId, JsonRpc.INTERNAL_ERROR, "Backend " + this.member
					+ " asks the client for input during the call, which needs an event stream: accept text/event-stream"));
			return;
		}
		try {
			this.calls.park(this.key, new ParkedCall(this.member, this.context.id().value(), this.calls.pod(),
					this.json.writeValueAsString(clientId)));
			JsonNode pending = asked;
			for (long round = 0; pending != null; round++) {
				if (round == MOST_ROUNDS) {
					throw new JsonRpcError(JsonRpc.INTERNAL_ERROR,
							"Backend " + this.member + " asked for input " + MOST_ROUNDS + " times in one call");
				}
				ObjectNode answers = answers(round, pending.path("inputRequests"));
				this.flow.reroute(this.context, this.call.retry(round, answers, pending.get("requestState")),
						this.member, this.relay);
				pending = this.call.takeInputRequired();
			}
		}
		catch (JsonRpcError ex) {
			this.relay.answer(ex.toResponse(clientId));
		}
		catch (DataAccessException ex) {
			logger.warn("Call of session {} to backend {} ended: the store failed: {}", this.context.shortId(),
					this.member, ex.getMessage());
			this.relay.answer(JsonRpc.error(clientId, JsonRpc.INTERNAL_ERROR,
					"The session store is unavailable or too slow; send the call again shortly"));
		}
		finally {
			end();
		}
	}

	/**
	 * This pod stops: the call ends at once with an error that says so, rather than hold
	 * the shutdown until the client answers (a message of its own in the call's queue
	 * wakes the waiting thread).
	 */
	void podStopping() {
		this.stopping = true;
		try {
			this.calls.append(this.key, "{}");
		}
		catch (RuntimeException ex) {
			logger.debug("Waiting call of session {} not woken: {}", this.context.shortId(), ex.getMessage());
		}
	}

	/**
	 * Asks the client the round's questions and waits for every answer, keyed as the
	 * member keyed the questions.
	 */
	private ObjectNode answers(long round, JsonNode questions) {
		ObjectNode answers = JsonRpc.objectNode();
		if (questions.isEmpty()) {
			// Only the member's state: the client has nothing to answer.
			return answers;
		}
		requireDeclared(questions);
		if (round > 0) {
			this.calls.waitForClient(this.key);
		}
		for (Map.Entry<String, JsonNode> question : questions.properties()) {
			ObjectNode request = JsonRpc.notification(question.getValue().path("method").asString(""));
			request.set("id", QuestionIds.of(this.key, round, question.getKey()));
			if (question.getValue().has("params")) {
				request.set("params", question.getValue().get("params"));
			}
			this.metrics.relayedServerRequest(this.member, request.path("method").asString());
			this.relay.answer(request);
		}
		long deadline = System.nanoTime() + this.calls.inputWait().toNanos();
		while (answers.size() < questions.size()) {
			Duration left = Duration.ofNanos(deadline - System.nanoTime());
			if (left.isNegative() || left.isZero()) {
				throw new JsonRpcError(JsonRpc.INTERNAL_ERROR,
						"The client did not answer backend " + this.member + "'s " + unanswered(questions, answers)
								+ " within " + this.calls.inputWait().toMillis() + " ms: the call has ended");
			}
			Next next = this.calls.next(this.key, this.calls.pod(), shorter(left, this.keepAlive));
			if (this.stopping) {
				throw new JsonRpcError(JsonRpc.BACKEND_UNAVAILABLE,
						"The gateway pod that held this call stops: the call is lost; send it again");
			}
			if (next instanceof Next.Message message) {
				take(this.json.readTree(message.text()), round, questions, answers);
			}
			else {
				// A client gone away (it cancelled, say) is noticed here.
				this.relay.keepAlive();
			}
		}
		return answers;
	}

	/**
	 * The specification lets a member ask only what the client declared, and gives the
	 * client no way to answer that it cannot: the call ends with the error a server gives
	 * for a missing capability, naming it.
	 */
	private void requireDeclared(JsonNode questions) {
		ObjectNode declared = this.context.clientCapabilities();
		ObjectNode missing = JsonRpc.objectNode();
		questions.properties()
			.forEach((question) -> missing.setAll(RequiredCapabilities.missing(question.getValue(), declared)));
		if (!missing.isEmpty()) {
			ObjectNode data = JsonRpc.objectNode();
			data.set("requiredCapabilities", missing);
			throw new JsonRpcError(JsonRpc.MISSING_REQUIRED_CLIENT_CAPABILITY,
					"Missing required client capability: backend " + this.member + " asks the client for "
							+ String.join(", ", missing.propertyNames()) + " input, which the client did not declare",
					data);
		}
	}

	/** One answer of the client's, kept when it answers a question of this round. */
	private void take(JsonNode answer, long round, JsonNode questions, ObjectNode answers) {
		Optional<QuestionIds.Question> question = QuestionIds.parse(answer.get("id"));
		if (question.isEmpty() || question.get().round() != round || !questions.has(question.get().inputKey())
				|| answers.has(question.get().inputKey())) {
			logger.debug("Answer of session {} to no open question dropped", this.context.shortId());
			return;
		}
		String inputKey = question.get().inputKey();
		if (answer.has("error")) {
			ObjectNode data = JsonRpc.objectNode().put("inputRequest", inputKey);
			data.set("error", answer.get("error"));
			throw new JsonRpcError(JsonRpc.INTERNAL_ERROR,
					"The client answered backend " + this.member + "'s " + method(questions, inputKey)
							+ " with an error: " + answer.path("error").path("message").asString(""),
					data);
		}
		answers.set(inputKey, answer.path("result"));
	}

	private static Duration shorter(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static String unanswered(JsonNode questions, ObjectNode answers) {
		return questions.properties()
			.stream()
			.filter((question) -> !answers.has(question.getKey()))
			.map((question) -> question.getValue().path("method").asString(""))
			.distinct()
			.reduce((first, second) -> first + ", " + second)
			.orElse("questions");
	}

	private static String method(JsonNode questions, String inputKey) {
		return questions.path(inputKey).path("method").asString("");
	}

	/** Nothing of the call stays in the store. */
	private void end() {
		try {
			this.calls.end(this.key);
		}
		catch (DataAccessException ex) {
			logger.warn("Parked call of session {} not removed (it expires): {}", this.context.shortId(),
					ex.getMessage());
		}
	}

}
