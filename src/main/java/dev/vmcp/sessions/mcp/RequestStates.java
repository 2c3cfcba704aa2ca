package dev.vmcp.sessions.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.Caller;

/**
 * The {@code requestState} of a Multi Round-Trip Request as the gateway hands it to the
 * client: the member's own state wrapped with the member's name and a deadline, signed
 * under the secret every pod shares and bound to the caller and the request (method and
 * name). The retry, on any pod, is checked and unwrapped before the member sees it: a
 * state altered, expired, presented by another caller or on another request is refused
 * with {@code -32602} and never reaches the member. A member behind shared credentials
 * cannot tell callers apart; the gateway can. A state may also name a call the gateway
 * parked (a 2025 member asked its client something during it): then it carries the park
 * key, the round and which member request each of the client's answers goes to, under the
 * same signature and refusal rules, and lives as long as the call waits. Thread-safe.
 */
public final class RequestStates {

	private static final String PURPOSE = "mcp-request-state";

	private static final String VERSION = "v1";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final OwnerBindings signatures;

	private final JsonMapper json;

	private final Duration lifetime;

	private final Duration parkedLifetime;

	private final Clock clock;

	public RequestStates(OwnerBindings signatures, JsonMapper json, Duration lifetime, Clock clock) {
		this(signatures, json, lifetime, lifetime, clock);
	}

	/**
	 * @param lifetime how long a member's state may be retried
	 * @param parkedLifetime how long a parked call waits for the client's answers
	 */
	public RequestStates(OwnerBindings signatures, JsonMapper json, Duration lifetime, Duration parkedLifetime,
			Clock clock) {
		this.signatures = signatures;
		this.json = json;
		this.lifetime = lifetime;
		this.parkedLifetime = parkedLifetime;
		this.clock = clock;
	}

	/**
	 * The state the client gets in place of the member's.
	 * @param request what the state is for: see {@link #requestKey(JsonNode)}
	 */
	public String wrap(Caller caller, String request, String member, String memberState) {
		ObjectNode payload = JsonRpc.objectNode();
		payload.put("m", member);
		payload.put("s", memberState);
		payload.put("e", this.clock.millis() + this.lifetime.toMillis());
		return signed(caller, request, payload);
	}

	/**
	 * The state the client gets for a call the gateway parked.
	 * @param request what the state is for: see {@link #requestKey(JsonNode)}
	 */
	public String wrapParked(Caller caller, String request, String member, ParkedState parked) {
		ObjectNode payload = JsonRpc.objectNode();
		payload.put("m", member);
		payload.put("p", parked.parkKey());
		payload.put("r", parked.round());
		ObjectNode questions = payload.putObject("q");
		parked.questions().forEach(questions::put);
		payload.put("e", this.clock.millis() + this.parkedLifetime.toMillis());
		return signed(caller, request, payload);
	}

	private String signed(Caller caller, String request, ObjectNode payload) {
		String encoded = ENCODER.encodeToString(this.json.writeValueAsBytes(payload));
		return VERSION + "." + encoded + "." + signature(encoded, caller, request);
	}

	/**
	 * The member and its own state, from a state this gateway handed this caller for this
	 * request and that has not expired.
	 * @throws JsonRpcError ({@code -32602}) otherwise
	 */
	public Unwrapped unwrap(Caller caller, String request, String clientState) {
		String[] parts = clientState.split("\\.", -1);
		if (parts.length != 3 || !parts[0].equals(VERSION)) {
			throw invalid("it was not issued by this gateway");
		}
		byte[] expected = signature(parts[1], caller, request).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
			throw invalid("it was altered, or issued to another caller or for another request");
		}
		JsonNode payload;
		try {
			payload = this.json.readTree(Base64.getUrlDecoder().decode(parts[1]));
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw invalid("it cannot be read");
		}
		if (payload.path("e").asLong(0) < this.clock.millis()) {
			throw invalid("it has expired");
		}
		return new Unwrapped(payload.path("m").asString(""), payload.path("s").asString(""), parked(payload));
	}

	private static @Nullable ParkedState parked(JsonNode payload) {
		if (!payload.has("p")) {
			return null;
		}
		Map<String, String> questions = new LinkedHashMap<>();
		payload.path("q").properties().forEach((entry) -> questions.put(entry.getKey(), entry.getValue().asString("")));
		return new ParkedState(payload.path("p").asString(""), payload.path("r").asLong(), questions);
	}

	/**
	 * Refused as a state that has expired: its call is no longer parked (nobody answered
	 * in time, or the call ended, its result delivered).
	 */
	public static JsonRpcError expired() {
		return invalid("it has expired, or its call has ended");
	}

	/** Refused as a state whose round was resumed already, by an earlier retry. */
	public static JsonRpcError usedAlready() {
		return invalid("it was used already");
	}

	/**
	 * What a state is bound to besides its caller: the method and the tool, prompt or
	 * resource the request names, as the client named it.
	 */
	public static String requestKey(JsonNode request) {
		JsonNode params = request.path("params");
		String target = params.has("uri") ? params.path("uri").asString("") : params.path("name").asString("");
		return request.path("method").asString("") + '\0' + target;
	}

	private String signature(String encodedPayload, Caller caller, String request) {
		return this.signatures.sign(PURPOSE, encodedPayload + '\0' + caller.owner() + '\0' + request);
	}

	private static JsonRpcError invalid(String why) {
		return new JsonRpcError(JsonRpc.INVALID_PARAMS, "Invalid params: requestState refused: " + why);
	}

	/**
	 * A state checked and unwrapped.
	 *
	 * @param member the member that issued it
	 * @param memberState the member's own state (empty for a parked call's)
	 * @param parked the call it names, when it names a parked call
	 */
	public record Unwrapped(String member, String memberState, @Nullable ParkedState parked) {

		public Unwrapped(String member, String memberState) {
			this(member, memberState, null);
		}

	}

	/**
	 * What a state of a parked call says of it.
	 *
	 * @param parkKey where the call waits
	 * @param round the round the client's answers resume (0 for the first question)
	 * @param questions the key of each question in {@code inputRequests}, and the
	 * member's id for it (as JSON)
	 */
	public record ParkedState(String parkKey, long round, Map<String, String> questions) {

		public ParkedState {
			questions = Map.copyOf(questions);
		}

	}

}
