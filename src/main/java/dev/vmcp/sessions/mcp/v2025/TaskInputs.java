package dev.vmcp.sessions.mcp.v2025;

import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.bridge.ParkedCall;

/**
 * A 2026-07-28 member's task that waits for input ({@code input_required}) while a 2025
 * client waits on {@code tasks/result}: 2025-11-25 asks such questions as requests on
 * that stream, so each of the task's {@code inputRequests} goes to the client that way
 * ({@link ClientQuestions}, the call parked in the store so that the answers may reach
 * any pod), once: the extension keeps a key for one question over the task's life, and a
 * poll may show a question again before the member took its answer. For one
 * {@code tasks/result}, on its request's thread (and {@link #podStopping()} from any).
 */
final class TaskInputs {

	private static final Logger logger = LoggerFactory.getLogger(TaskInputs.class);

	private final MemberInputs.Means means;

	private final SessionContext context;

	private final String member;

	private final ClientResponse relay;

	private final JsonNode clientId;

	private final String key;

	private final ClientQuestions questions;

	private final Set<String> asked = new HashSet<>();

	private long round;

	private volatile boolean parked;

	TaskInputs(MemberInputs.Means means, SessionContext context, String member, ClientResponse relay,
			JsonNode clientId) {
		this.means = means;
		this.context = context;
		this.member = member;
		this.relay = relay;
		this.clientId = clientId;
		this.key = means.calls().newKey();
		this.questions = new ClientQuestions(means, context, member, relay, this.key);
	}

	/**
	 * Asks the client the questions of {@code inputRequests} it was not asked yet, and
	 * waits for every answer.
	 * @return the answers keyed as the member keyed the questions, empty when there was
	 * nothing new to ask
	 * @throws JsonRpcError when the client cannot take a stream, or as
	 * {@link ClientQuestions} says
	 */
	ObjectNode answers(JsonNode inputRequests, boolean streams) {
		ObjectNode fresh = JsonRpc.objectNode();
		inputRequests.properties().forEach((question) -> {
			if (!this.asked.contains(question.getKey())) {
				fresh.set(question.getKey(), question.getValue());
			}
		});
		if (fresh.isEmpty()) {
			return fresh;
		}
		if (!streams) {
			throw new JsonRpcError(JsonRpc.INTERNAL_ERROR, "Backend " + this.member
					+ " asks the client for input during the task, which needs an event stream: accept text/event-stream");
		}
		if (!this.parked) {
			this.relay.begin(true);
			this.means.calls()
				.park(this.key, new ParkedCall(this.member, this.context.id().value(), this.means.calls().pod(),
						this.means.json().writeValueAsString(this.clientId)));
			this.parked = true;
		}
		ObjectNode answers = this.questions.answers(this.round++, fresh);
		this.asked.addAll(fresh.propertyNames());
		return answers;
	}

	/**
	 * Whether the client's stream carries questions already: the answer must follow
	 * there.
	 */
	boolean asking() {
		return this.parked;
	}

	/** This pod stops: the wait for answers ends at once with an error that says so. */
	void podStopping() {
		this.questions.podStopping();
	}

	/** Nothing of the task's questions stays in the store. */
	void end() {
		if (!this.parked) {
			return;
		}
		try {
			this.means.calls().end(this.key);
		}
		catch (DataAccessException ex) {
			logger.warn("Parked task of session {} not removed (it expires): {}", this.context.shortId(),
					ex.getMessage());
		}
	}

}
