package dev.vmcp.sessions.mcp;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.MemberIds.MemberRef;

/**
 * Finds the member that serves a request by the tool or prompt name or the resource URI
 * it names, and rewrites an exposed name back into the member's own. A name the cached
 * catalog does not know is looked up once more in a fresh one before it is refused.
 */
final class Router {

	private final Catalogs catalogs;

	Router(Catalogs catalogs) {
		this.catalogs = catalogs;
	}

	/**
	 * The member for a routed method and the params to send it.
	 * @throws JsonRpcError when the params name nothing a member serves
	 */
	Route route(ClientContext context, String method, ObjectNode params) {
		return switch (method) {
			case "tools/call" -> byName(context, CatalogKind.TOOLS, params, params, "Unknown tool");
			case "prompts/get" -> byName(context, CatalogKind.PROMPTS, params, params, "Unknown prompt");
			case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
				new Route(resourceOwner(context, requiredText(params, "uri")), params, null);
			case "completion/complete" -> completion(context, params);
			default -> throw new IllegalArgumentException("Not a routed method: " + method);
		};
	}

	private Route completion(ClientContext context, ObjectNode params) {
		JsonNode ref = params.get("ref");
		if (!(ref instanceof ObjectNode reference)) {
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS, "ref is required");
		}
		String type = reference.path("type").asString("");
		if (type.equals("ref/prompt")) {
			return byName(context, CatalogKind.PROMPTS, params, reference, "Unknown prompt");
		}
		if (type.equals("ref/resource")) {
			String uri = requiredText(reference, "uri");
			Optional<MemberRef<String>> template = owner(context, CatalogKind.RESOURCE_TEMPLATES, uri);
			return new Route(template.map(MemberRef::member).orElseGet(() -> resourceOwner(context, uri)), params,
					null);
		}
		throw new JsonRpcError(JsonRpc.INVALID_PARAMS, "Unknown ref type: " + type);
	}

	/** Routes by {@code target.name}, rewritten in place to the member's own name. */
	private Route byName(ClientContext context, CatalogKind kind, ObjectNode params, ObjectNode target,
			String unknown) {
		String name = requiredText(target, "name");
		MemberRef<String> owner = owner(context, kind, name).orElseThrow(() -> {
			JsonRpcError unknownName = new JsonRpcError(JsonRpc.INVALID_PARAMS, unknown + ": " + name);
			return this.catalogs.hiddenByPolicy(context, kind, name) ? JsonRpcError.hiddenByPolicy(unknownName)
					: unknownName;
		});
		target.put("name", owner.value());
		return new Route(owner.member(), params, this.catalogs.get(context, kind).item(name).orElse(null));
	}

	private String resourceOwner(ClientContext context, String uri) {
		Optional<MemberRef<String>> listed = owner(context, CatalogKind.RESOURCES, uri);
		if (listed.isPresent()) {
			return listed.get().member();
		}
		Optional<String> byTemplate = this.catalogs.get(context, CatalogKind.RESOURCE_TEMPLATES).templateOwner(uri);
		if (byTemplate.isEmpty()) {
			byTemplate = this.catalogs.refresh(context, CatalogKind.RESOURCE_TEMPLATES).templateOwner(uri);
		}
		String member = byTemplate.orElseThrow(() -> resourceNotFound(uri));
		if (!this.catalogs.shapeShowsResource(member, uri)) {
			throw resourceNotFound(uri);
		}
		if (!this.catalogs.policyShowsResource(context, member, uri)) {
			throw JsonRpcError.hiddenByPolicy(resourceNotFound(uri));
		}
		return member;
	}

	private static JsonRpcError resourceNotFound(String uri) {
		return new JsonRpcError(JsonRpc.RESOURCE_NOT_FOUND, "Resource not found: " + uri,
				JsonRpc.objectNode().put("uri", uri));
	}

	/**
	 * The owner of {@code key} in the caller's view; a key the view lacks is looked up in
	 * a fresh catalog, unless the policy is what hides it.
	 */
	private Optional<MemberRef<String>> owner(ClientContext context, CatalogKind kind, String key) {
		Optional<MemberRef<String>> owner = this.catalogs.get(context, kind).owner(key);
		if (owner.isPresent() || this.catalogs.hiddenByPolicy(context, kind, key)) {
			return owner;
		}
		return this.catalogs.refresh(context, kind).owner(key);
	}

	private static String requiredText(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString()) {
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS, field + " is required");
		}
		return value.asString();
	}

	/**
	 * Where a request goes.
	 *
	 * @param member the member that serves it
	 * @param params the params to send, in the member's own names
	 * @param definition the definition of the tool or prompt it names, if it names one
	 */
	record Route(String member, ObjectNode params, @Nullable JsonNode definition) {
	}

}
