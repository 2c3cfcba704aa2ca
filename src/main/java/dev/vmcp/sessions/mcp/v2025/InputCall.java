package dev.vmcp.sessions.mcp.v2025;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import dev.vmcp.sessions.mcp.ClientDialect;
import dev.vmcp.sessions.mcp.ForwardingDialect;
import dev.vmcp.sessions.mcp.JsonRpc;

/**
 * One 2025 client request as its answers are written for the client, while a 2026-07-28
 * member may ask for input during it: the member's {@code InputRequiredResult} is kept
 * for {@link MemberInputs} (the client would take it for a result) and never written, and
 * the member's answer to a later round reaches the client under the id the client sent.
 * Everything else is written as the session's dialect writes it. Thread-safe.
 */
final class InputCall extends ForwardingDialect {

	private static final String INPUT_REQUIRED = "input_required";

	private final ObjectNode request;

	private final JsonNode clientId;

	private final @Nullable String clientName;

	private final boolean roundTrips;

	private final JsonMapper json;

	private volatile @Nullable JsonNode inputRequired;

	private volatile @Nullable JsonNode retryId;

	/**
	 * @param roundTrips whether the revision lets a member answer this request with an
	 * {@code InputRequiredResult}
	 */
	InputCall(ObjectNode request, boolean roundTrips, ClientDialect dialect, JsonMapper json) {
		super(dialect);
		this.request = request;
		this.clientId = request.path("id");
		JsonNode name = request.path("params").get("name");
		this.clientName = (name != null && name.isString()) ? name.asString() : null;
		this.roundTrips = roundTrips;
		this.json = json;
	}

	/** The request as the client sent it (routing renames what it names in place). */
	ObjectNode request() {
		return this.request;
	}

	JsonNode clientId() {
		return this.clientId;
	}

	/**
	 * The result of the member's last {@code InputRequiredResult}, once; null if none.
	 */
	@Nullable JsonNode takeInputRequired() {
		JsonNode asked = this.inputRequired;
		this.inputRequired = null;
		return asked;
	}

	/**
	 * The request again, for round {@code round + 1}, as the client named things, under
	 * an id of its own (a retry is a new request): with the client's answers keyed as the
	 * member keyed its questions, and the member's own state.
	 */
	ObjectNode retry(long round, ObjectNode answers, @Nullable JsonNode memberState) {
		ObjectNode retry = this.request.deepCopy();
		ObjectNode params = (retry.get("params") instanceof ObjectNode object) ? object : retry.putObject("params");
		if (this.clientName != null) {
			params.put("name", this.clientName);
		}
		params.remove("inputResponses");
		params.remove("requestState");
		if (!answers.isEmpty()) {
			params.set("inputResponses", answers);
		}
		if (memberState != null && memberState.isString()) {
			params.set("requestState", memberState);
		}
		JsonNode id = StringNode
			.valueOf(this.json.writeValueAsString(this.clientId) + "/round-" + Long.toString(round + 1));
		this.retryId = id;
		retry.set("id", id);
		return retry;
	}

	@Override
	public @Nullable String forClient(String member, String text, JsonNode message) {
		if (JsonRpc.isResponse(message)
				&& INPUT_REQUIRED.equals(message.path("result").path("resultType").asString(""))) {
			if (this.roundTrips) {
				this.inputRequired = message.get("result");
				return null;
			}
			return this.json.writeValueAsString(JsonRpc.error(message.get("id"), JsonRpc.INTERNAL_ERROR,
					"Backend " + member + " answered " + this.request.path("method").asString("")
							+ " with input_required, which 2026-07-28 allows only on tools/call, prompts/get"
							+ " and resources/read"));
		}
		JsonNode retried = this.retryId;
		if (retried != null && JsonRpc.isResponse(message) && retried.equals(message.get("id"))
				&& message instanceof ObjectNode response) {
			ObjectNode answered = response.deepCopy();
			answered.set("id", this.clientId);
			return dialect().forClient(member, this.json.writeValueAsString(answered), answered);
		}
		return dialect().forClient(member, text, message);
	}

}
