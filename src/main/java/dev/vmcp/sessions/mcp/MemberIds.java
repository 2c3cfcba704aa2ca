package dev.vmcp.sessions.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Self-describing ids for what the gateway hands out on a member's behalf, so that any
 * pod can route what comes back without another pod's memory: the id of a request a
 * member sends to the client ({@code <member>/<the member's id as JSON>}), and list
 * cursors (base64url of {@code <member>/<the member's cursor>}). Member names never hold
 * a slash, so ids of different members never collide.
 */
public final class MemberIds {

	private static final char SEPARATOR = '/';

	private final JsonMapper json;

	MemberIds(JsonMapper json) {
		this.json = json;
	}

	/** The id under which the client sees {@code member}'s request {@code id}. */
	public JsonNode relayedRequestId(String member, JsonNode id) {
		return StringNode.valueOf(member + SEPARATOR + this.json.writeValueAsString(id));
	}

	/** The member and its own id, for the client's answer to a relayed request. */
	public Optional<MemberRef<JsonNode>> fromRelayedRequestId(JsonNode id) {
		if (!id.isString()) {
			return Optional.empty();
		}
		String text = id.asString();
		int separator = text.indexOf(SEPARATOR);
		if (separator <= 0) {
			return Optional.empty();
		}
		try {
			return Optional
				.of(new MemberRef<>(text.substring(0, separator), this.json.readTree(text.substring(separator + 1))));
		}
		catch (JacksonException ex) {
			return Optional.empty();
		}
	}

	/** An opaque cursor naming a member and that member's own cursor (if any). */
	public String cursor(String member, @Nullable String memberCursor) {
		String plain = member + SEPARATOR + ((memberCursor != null) ? memberCursor : "");
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The member and its cursor (empty text: its first page).
	 * @throws JsonRpcError (invalid params) for a cursor the gateway did not make
	 */
	public MemberRef<String> fromCursor(String cursor) {
		try {
			String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int separator = plain.indexOf(SEPARATOR);
			if (separator > 0) {
				return new MemberRef<>(plain.substring(0, separator), plain.substring(separator + 1));
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64: reported below like any other foreign cursor
		}
		throw new JsonRpcError(JsonRpc.INVALID_PARAMS, "Invalid cursor");
	}

	/** Something of a member's, under the member's own name for it. */
	public record MemberRef<T>(String member, T value) {
	}

}
