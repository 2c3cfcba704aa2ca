package dev.vmcp.sessions.mcp.v2025;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.session.MetadataPatch;
import dev.vmcp.sessions.session.MetadataTooLargeException;
import dev.vmcp.sessions.session.SessionRecord;
import dev.vmcp.sessions.session.SessionService;

/**
 * A 2025 client's {@code resources/subscribe} and {@code resources/unsubscribe} of a
 * 2026-07-28 member's resource. That revision has no such method (the client of a
 * {@code subscriptions/listen} names its resources in the filter), so the gateway answers
 * them itself and keeps each subscription in the session's metadata, one key
 * {@code vmcp.subscriptions/<member>/<uri>} each: every pod reads them with the record, a
 * subscription and an unsubscription on two pods at once never undo each other (each sets
 * or removes its own key), and the session's metadata limit
 * ({@code vmcp.session.metadata-max-size}) bounds how many a session holds. Then the pod
 * holding the client's standalone stream is told to listen to the member again with the
 * new set ({@link MemberListens}).
 */
final class ResourceSubscriptions {

	private static final String KEY_PREFIX = "vmcp.subscriptions/";

	private static final String SUBSCRIBED = "1";

	private final SessionService sessions;

	private final McpSignals signals;

	ResourceSubscriptions(SessionService sessions, McpSignals signals) {
		this.sessions = sessions;
		this.signals = signals;
	}

	/** Whether the gateway answers that method for {@code member}: a 2026-07-28 one. */
	boolean answers(SessionContext context, String member) {
		return context.session().live().connection(member).filter(BackendConnection::isStateless).isPresent();
	}

	/**
	 * Subscribes or unsubscribes the request's {@code uri} at {@code member}.
	 * @throws JsonRpcError ({@code -32601}) when the member offers no subscriptions;
	 * ({@code -32602}) when the session may hold no more
	 */
	void change(SessionContext context, String member, String method, JsonNode params) {
		if (!offersSubscriptions(context, member)) {
			throw new JsonRpcError(JsonRpc.METHOD_NOT_FOUND,
					"Method not found: " + method + " (backend " + member + " offers no resource subscriptions)");
		}
		String uri = params.path("uri").asString("");
		Map<String, @Nullable String> change = new LinkedHashMap<>();
		change.put(key(member, uri), method.equals("resources/subscribe") ? SUBSCRIBED : null);
		try {
			this.sessions.updateMetadata(context.caller(), context.id(), new MetadataPatch(change),
					OptionalLong.empty());
		}
		catch (MetadataTooLargeException ex) {
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS,
					"Invalid params: the session holds as many resource subscriptions as it may: " + ex.getMessage());
		}
		this.signals.subscriptionsChanged(context.id(), member);
	}

	private static boolean offersSubscriptions(SessionContext context, String member) {
		return context.session()
			.live()
			.connection(member)
			.flatMap(BackendConnection::initializeResult)
			.filter((described) -> described.path("capabilities").path("resources").path("subscribe").asBoolean(false))
			.isPresent();
	}

	/**
	 * The URIs the session subscribed to at {@code member}, as {@code record} holds them.
	 */
	static List<String> of(SessionRecord record, String member) {
		String prefix = KEY_PREFIX + member + '/';
		return record.metadata()
			.keySet()
			.stream()
			.filter((key) -> key.startsWith(prefix))
			.map((key) -> key.substring(prefix.length()))
			.sorted()
			.toList();
	}

	private static String key(String member, String uri) {
		return KEY_PREFIX + member + '/' + uri;
	}

}
