package dev.vmcp.sessions.mcp.v2026;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.StatelessMeta;

/**
 * The {@code notifications} filter of a {@code subscriptions/listen}: which part of it a
 * member honours, as its capabilities say (a 2026-07-28 member's {@code server/discover}
 * result or a 2025 member's {@code initialize} result, both with {@code capabilities}),
 * and which notifications it lets through.
 */
final class ListenFilter {

	/** Each filter field, and the capability and option a member needs to honour it. */
	private static final List<FilterField> FIELDS = List.of(
			new FilterField("toolsListChanged", "tools", "listChanged", "notifications/tools/list_changed"),
			new FilterField("promptsListChanged", "prompts", "listChanged", "notifications/prompts/list_changed"),
			new FilterField("resourcesListChanged", "resources", "listChanged", "notifications/resources/list_changed"),
			new FilterField("resourceSubscriptions", "resources", "subscribe", "notifications/resources/updated"));

	private static final String RESOURCE_SUBSCRIPTIONS = "resourceSubscriptions";

	private ListenFilter() {
	}

	/**
	 * The part of the requested filter that at least one of the described members
	 * honours.
	 */
	static ObjectNode honoured(JsonNode requested, List<JsonNode> described) {
		ObjectNode honoured = JsonRpc.objectNode();
		for (FilterField field : FIELDS) {
			JsonNode wanted = requested.get(field.name());
			boolean asked = wanted != null && (wanted.asBoolean(false) || (wanted.isArray() && !wanted.isEmpty()));
			if (asked && described.stream().anyMatch(field::isOffered)) {
				honoured.set(field.name(), wanted);
			}
		}
		return honoured;
	}

	/** The resource URIs a filter subscribes to. */
	static Set<String> resourceSubscriptions(JsonNode filter) {
		Set<String> uris = new HashSet<>();
		filter.path(RESOURCE_SUBSCRIPTIONS).forEach((uri) -> uris.add(uri.asString("")));
		return uris;
	}

	/**
	 * Whether {@code filter} lets the notification through: a list change it asked for,
	 * or an update of a resource it subscribed to.
	 */
	static boolean admits(JsonNode filter, JsonNode notification) {
		String method = notification.path("method").asString("");
		for (FilterField field : FIELDS) {
			if (field.notification().equals(method)) {
				return field.name().equals(RESOURCE_SUBSCRIPTIONS)
						? resourceSubscriptions(filter).contains(notification.path("params").path("uri").asString(""))
						: filter.path(field.name()).asBoolean(false);
			}
		}
		return false;
	}

	/**
	 * A member's notification as the client's subscription sends it: tagged with the
	 * client's subscription id, whatever id the member's own stream had, if any.
	 */
	static ObjectNode tagged(JsonNode notification, JsonNode subscriptionId) {
		ObjectNode tagged = (ObjectNode) notification.deepCopy();
		ObjectNode params = (tagged.get("params") instanceof ObjectNode object) ? object : tagged.putObject("params");
		ObjectNode meta = (params.get("_meta") instanceof ObjectNode object) ? object : params.putObject("_meta");
		meta.set(StatelessMeta.SUBSCRIPTION_ID, subscriptionId);
		return tagged;
	}

	/**
	 * A filter field, the capability option that lets a member honour it, and the
	 * notification it asks for.
	 */
	private record FilterField(String name, String capability, String option, String notification) {

		boolean isOffered(JsonNode described) {
			return described.path("capabilities").path(this.capability).path(this.option).asBoolean(false);
		}

	}

}
