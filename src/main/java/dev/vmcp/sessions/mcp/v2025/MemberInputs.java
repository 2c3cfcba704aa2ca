package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.ClientAccepts;
import dev.vmcp.sessions.mcp.ClientDialect;
import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.McpMetrics;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls;

/**
 * A 2026-07-28 member's questions ({@code InputRequiredResult}) as a 2025 client must get
 * them: requests on the call's open stream, under ids that name the call parked in the
 * store ({@link QuestionIds}). The client's answers may reach any pod: that pod queues
 * each for the call in the store, and the pod holding the client's stream takes them,
 * woken by pub/sub; once a round is answered, the request goes to the member again with
 * {@code inputResponses} and the member's own {@code requestState}, round after round
 * ({@link InputRounds}), and the member's final answer reaches the client on the same
 * stream. Thread-safe.
 */
final class MemberInputs {

	/** The requests a 2026-07-28 member may answer with {@code InputRequiredResult}. */
	private static final Set<String> ROUND_TRIP_METHODS = Set.of("tools/call", "prompts/get", "resources/read");

	private static final Logger logger = LoggerFactory.getLogger(MemberInputs.class);

	private final Means means;

	private final Set<InputRounds> carriedOn = ConcurrentHashMap.newKeySet();

	private final Set<TaskInputs> taskInputs = ConcurrentHashMap.newKeySet();

	/**
	 * @param keepAlive how often a stream waiting for the client's answers gets a comment
	 */
	MemberInputs(RequestFlow flow, ParkedCalls calls, McpMetrics metrics, JsonMapper json, Duration keepAlive) {
		this.means = new Means(flow, calls, metrics, json, keepAlive);
	}

	/** A client request, as its answers are to be written while its member may ask. */
	InputCall call(ObjectNode request, ClientDialect dialect) {
		return new InputCall(request, ROUND_TRIP_METHODS.contains(request.path("method").asString("")), dialect,
				this.means.json());
	}

	/**
	 * Routes a request whose member may answer it with questions for the client, and
	 * carries the call on, round after round, until the member's final answer.
	 * @return the member
	 */
	String route(SessionContext context, InputCall call, ClientAccepts accepts, HttpServletResponse response) {
		String member = this.means.flow().route(context, call.request(), accepts, response, call);
		JsonNode asked = call.takeInputRequired();
		if (asked != null) {
			ClientResponse relay = new ClientResponse(response, accepts, this.means.json(), call, member);
			InputRounds rounds = new InputRounds(this.means, context, call, member, relay);
			this.carriedOn.add(rounds);
			try {
				rounds.carryOn(asked, accepts.eventStream());
			}
			finally {
				this.carriedOn.remove(rounds);
			}
		}
		return member;
	}

	/**
	 * The client's answer to a question of a parked call, queued for the pod that holds
	 * the call, whichever it is.
	 * @return whether it answers such a question (otherwise it answers a member's own
	 * request)
	 */
	boolean deliver(SessionContext context, ObjectNode answer) {
		Optional<QuestionIds.Question> question = QuestionIds.parse(answer.get("id"));
		if (question.isEmpty()) {
			return false;
		}
		if (!this.means.calls().append(question.get().parkKey(), this.means.json().writeValueAsString(answer))) {
			logger.debug("Answer of session {} to a call that has ended dropped", context.shortId());
		}
		return true;
	}

	/**
	 * The questions a 2026-07-28 member's task may ask while the client waits on
	 * {@code tasks/result}; {@link #done(TaskInputs)} once it is answered.
	 */
	TaskInputs forTask(SessionContext context, String member, ClientResponse relay, JsonNode clientId) {
		TaskInputs inputs = new TaskInputs(this.means, context, member, relay, clientId);
		this.taskInputs.add(inputs);
		return inputs;
	}

	/** The {@code tasks/result} was answered: nothing of its questions stays. */
	void done(TaskInputs inputs) {
		this.taskInputs.remove(inputs);
		inputs.end();
	}

	/**
	 * This pod stops: each call it carries on ends at once with an error that says so,
	 * and its client sends it again, to another pod.
	 */
	void endAll() {
		this.carriedOn.forEach(InputRounds::podStopping);
		this.taskInputs.forEach(TaskInputs::podStopping);
	}

	/**
	 * What the rounds of every call use.
	 *
	 * @param keepAlive how often a stream waiting for the client's answers gets a comment
	 */
	record Means(RequestFlow flow, ParkedCalls calls, McpMetrics metrics, JsonMapper json, Duration keepAlive) {
	}

}
