package dev.vmcp.sessions.mcp;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.MemberIds.MemberRef;

/**
 * Pages of a merged list. The client's cursor names a member and that member's own
 * cursor, so a page is exactly one of the member's pages: valid on any pod, and no item
 * is dropped or repeated while the member's list holds still. Members with nothing to
 * show are skipped.
 */
final class ListPages {

	private final Catalogs catalogs;

	private final MemberIds ids;

	ListPages(Catalogs catalogs, MemberIds ids) {
		this.catalogs = catalogs;
		this.ids = ids;
	}

	/** The result of a list request with {@code cursor} (null: the first page). */
	ObjectNode page(ClientContext context, CatalogKind kind, @Nullable String cursor) {
		Catalog catalog = this.catalogs.fresh(context, kind);
		if (cursor == null && catalog.members().isEmpty()) {
			return result(kind, List.of(), null);
		}
		MemberRef<String> position = (cursor != null) ? this.ids.fromCursor(cursor) : firstOf(catalog, 0);
		Optional<Catalog.Page> page = catalog.page(position.member(), position.value());
		if (page.isEmpty()) {
			// Fetched before this pod's catalog was: fetch again once.
			catalog = this.catalogs.refresh(context, kind);
			page = catalog.page(position.member(), position.value());
		}
		if (page.isEmpty()) {
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS, "Invalid or outdated cursor");
		}
		while (page.get().items().isEmpty()) {
			Optional<MemberRef<String>> next = next(catalog, position.member(), page.get());
			if (next.isEmpty()) {
				return result(kind, List.of(), null);
			}
			position = next.get();
			page = catalog.page(position.member(), position.value());
			if (page.isEmpty()) {
				return result(kind, List.of(), null);
			}
		}
		Optional<MemberRef<String>> next = next(catalog, position.member(), page.get());
		return result(kind, page.get().items(),
				next.map((ref) -> this.ids.cursor(ref.member(), ref.value())).orElse(null));
	}

	/** Where the page after {@code page} of {@code member} starts. */
	private static Optional<MemberRef<String>> next(Catalog catalog, String member, Catalog.Page page) {
		if (page.nextCursor() != null) {
			return Optional.of(new MemberRef<>(member, page.nextCursor()));
		}
		List<String> members = catalog.members();
		int index = members.indexOf(member);
		return (index >= 0 && index + 1 < members.size()) ? Optional.of(firstOf(catalog, index + 1)) : Optional.empty();
	}

	private static MemberRef<String> firstOf(Catalog catalog, int memberIndex) {
		return new MemberRef<>(catalog.members().get(memberIndex), "");
	}

	private static ObjectNode result(CatalogKind kind, List<JsonNode> items, @Nullable String nextCursor) {
		ObjectNode result = JsonRpc.objectNode();
		ArrayNode array = result.putArray(kind.field());
		items.forEach(array::add);
		if (nextCursor != null) {
			result.put("nextCursor", nextCursor);
		}
		return result;
	}

}
