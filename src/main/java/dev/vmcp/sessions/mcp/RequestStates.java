package dev.vmcp.sessions.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

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
 * cannot tell callers apart; the gateway can. Thread-safe.
 */
public final class RequestStates {

	private static final String PURPOSE = "mcp-request-state";

	private static final String VERSION = "v1";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final OwnerBindings signatures;

	private final JsonMapper json;

	private final Duration lifetime;

	private final Clock clock;

	public RequestStates(OwnerBindings signatures, JsonMapper json, Duration lifetime, Clock clock) {
		this.signatures = signatures;
		this.json = json;
		this.lifetime = lifetime;
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
		return new Unwrapped(payload.path("m").asString(""), payload.path("s").asString(""));
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
	 * @param memberState the member's own state
	 */
	public record Unwrapped(String member, String memberState) {
	}

}
