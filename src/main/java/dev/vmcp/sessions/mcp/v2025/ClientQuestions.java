package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.RequiredCapabilities;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls.Next;

/**
 * A 2026-07-28 member's questions ({@code inputRequests}, keyed as the member keyed them)
 * put to a 2025 client, round by round, as requests on its open stream, under ids that
 * name the call parked in the store under {@code key} ({@link QuestionIds}); the answers,
 * queued in the store by whichever pod got them, are taken as they come. A question the
 * client did not declare it can answer, an answer that does not come within
 * {@code vmcp.mcp.input-wait}, or an error the client answers with, is a JSON-RPC error
 * that says so; so is this pod stopping meanwhile. For one call, on its request's thread
 * (and {@link #podStopping()} from any).
 */
final class ClientQuestions {

	private static final Logger logger = LoggerFactory.getLogger(ClientQuestions.class);

	private final MemberInputs.Means means;

	private final ParkedCalls calls;

	private final SessionContext context;

	private final String member;

	private final ClientResponse relay;

	private final String key;

	private volatile boolean stopping;

	ClientQuestions(MemberInputs.Means means, SessionContext context, String member, ClientResponse relay, String key) {
		this.means = means;
		this.calls = means.calls();
		this.context = context;
		this.member = member;
		this.relay = relay;
		this.key = key;
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
	ObjectNode answers(long round, JsonNode questions) {
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
			this.means.metrics().relayedServerRequest(this.member, request.path("method").asString());
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
			Next next = this.calls.next(this.key, this.calls.pod(), shorter(left, this.means.keepAlive()));
			if (this.stopping) {
				throw new JsonRpcError(JsonRpc.BACKEND_UNAVAILABLE,
						"The gateway pod that held this call stops: the call is lost; send it again");
			}
			if (next instanceof Next.Message message) {
				take(this.means.json().readTree(message.text()), round, questions, answers);
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

}
