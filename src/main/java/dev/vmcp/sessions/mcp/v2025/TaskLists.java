package dev.vmcp.sessions.mcp.v2025;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.TaskIds;

/**
 * A 2025 client's {@code tasks/list}: the members' task lists one after the other, in
 * membership order, each task under the gateway's id. Only 2025 members are asked (the
 * 2026-07-28 extension has no list), each through the client's own backend session, so a
 * member lists what that session may see; one that answers it has no such method, or that
 * cannot be reached, is left out. A page is one member's page (empty members are
 * skipped); the cursor names the member and that member's own cursor, so any pod goes on
 * from it.
 */
final class TaskLists {

	private static final Logger logger = LoggerFactory.getLogger(TaskLists.class);

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final Members members;

	private final TaskIds taskIds;

	TaskLists(Members members, TaskIds taskIds) {
		this.members = members;
		this.taskIds = taskIds;
	}

	/** The page {@code params.cursor} names, or the first. */
	ObjectNode page(SessionContext context, JsonNode params) {
		List<String> listing = sessionMembers(context);
		Position at = (params.get("cursor") instanceof JsonNode cursor && cursor.isString())
				? Position.decode(cursor.asString(), listing) : Position.first(listing);
		ObjectNode page = JsonRpc.objectNode();
		ArrayNode tasks = page.putArray("tasks");
		while (at != null && tasks.isEmpty()) {
			JsonNode memberPage = memberPage(context, at);
			for (JsonNode task : memberPage.path("tasks")) {
				if (task instanceof ObjectNode listed && listed.get("taskId") instanceof JsonNode id && id.isString()) {
					ObjectNode named = listed.deepCopy();
					named.put("taskId", this.taskIds.wrap(context.caller(), at.member(), id.asString()));
					tasks.add(named);
				}
			}
			at = (memberPage.get("nextCursor") instanceof JsonNode next && next.isString())
					? new Position(at.member(), next.asString()) : Position.after(listing, at.member());
		}
		if (at != null) {
			page.put("nextCursor", at.encode());
		}
		return page;
	}

	/** The member's page, or none when it lists no tasks or cannot be reached. */
	private JsonNode memberPage(SessionContext context, Position at) {
		ObjectNode params = JsonRpc.objectNode();
		if (at.memberCursor() != null) {
			params.put("cursor", at.memberCursor());
		}
		try {
			JsonNode answer = this.members.call(context, at.member(), "tasks/list", params);
			if (answer.get("error") instanceof JsonNode error) {
				logger.debug("tasks/list of session {} left backend {} out: {}", context.shortId(), at.member(),
						error.path("message").asString(""));
				return JsonRpc.objectNode();
			}
			return answer.path("result");
		}
		catch (BackendUnavailableException ex) {
			logger.warn("tasks/list of session {} left backend {} out: {}", context.shortId(), at.member(),
					ex.getMessage());
			return JsonRpc.objectNode();
		}
	}

	/** The session's 2025 members, in membership order. */
	private static List<String> sessionMembers(SessionContext context) {
		List<String> listing = new ArrayList<>();
		for (String member : context.members()) {
			try {
				if (!context.connection(member).isStateless()) {
					listing.add(member);
				}
			}
			catch (BackendUnavailableException ex) {
				// Not connected in this session: it has no tasks of the client's to list.
			}
		}
		return listing;
	}

	/**
	 * Where a listing stands.
	 *
	 * @param member the member whose page comes next
	 * @param memberCursor that member's own cursor, or null for its first page
	 */
	private record Position(String member, @Nullable String memberCursor) {

		static @Nullable Position first(List<String> listing) {
			return listing.isEmpty() ? null : new Position(listing.get(0), null);
		}

		static @Nullable Position after(List<String> listing, String member) {
			int next = listing.indexOf(member) + 1;
			return (next < listing.size()) ? new Position(listing.get(next), null) : null;
		}

		static Position decode(String cursor, List<String> listing) {
			try {
				String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n",
						-1);
				if (parts.length == 2 && listing.contains(parts[0])) {
					return new Position(parts[0], parts[1].isEmpty() ? null : parts[1]);
				}
			}
			catch (IllegalArgumentException ex) {
				// not one of the gateway's cursors: refused below
			}
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS, "Invalid params: unknown cursor");
		}

		String encode() {
			String text = this.member + "\n" + ((this.memberCursor != null) ? this.memberCursor : "");
			return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
		}

	}

}
