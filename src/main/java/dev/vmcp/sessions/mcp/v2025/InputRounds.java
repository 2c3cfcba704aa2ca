package dev.vmcp.sessions.mcp.v2025;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.bridge.ParkedCall;
import dev.vmcp.sessions.mcp.bridge.ParkedCalls;

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

	private final JsonMapper json;

	private final SessionContext context;

	private final InputCall call;

	private final String member;

	private final ClientResponse relay;

	private final String key;

	private final ClientQuestions questions;

	InputRounds(MemberInputs.Means means, SessionContext context, InputCall call, String member, ClientResponse relay) {
		this.flow = means.flow();
		this.calls = means.calls();
		this.json = means.json();
		this.context = context;
		this.call = call;
		this.member = member;
		this.relay = relay;
		this.key = means.calls().newKey();
		this.questions = new ClientQuestions(means, context, member, relay, this.key);
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
				ObjectNode answers = this.questions.answers(round, pending.path("inputRequests"));
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

	/** This pod stops: the call ends at once with an error that says so. */
	void podStopping() {
		this.questions.podStopping();
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
