package dev.vmcp.sessions.mcp;

import java.util.Map;

/**
 * How each member's lists are shown to every client ({@code vmcp.backends[i].tools},
 * {@code prompts}, {@code resources}): the same for every caller, applied where a
 * member's list enters a catalog, so that a hidden item is absent from lists and unknown
 * to routing alike. Immutable.
 */
final class MemberShapes {

	/** Every member shown as it is. */
	static final MemberShapes NONE = new MemberShapes(Map.of());

	private final Map<String, Map<CatalogKind, ItemShape>> byMember;

	/**
	 * @param byMember per member, the shape of each kind it has one for; resource
	 * templates follow the resources' shape
	 */
	MemberShapes(Map<String, Map<CatalogKind, ItemShape>> byMember) {
		this.byMember = Map.copyOf(byMember);
	}

	/** The shape of the member's items of that kind. */
	ItemShape of(String member, CatalogKind kind) {
		CatalogKind shapedAs = (kind == CatalogKind.RESOURCE_TEMPLATES) ? CatalogKind.RESOURCES : kind;
		return this.byMember.getOrDefault(member, Map.of()).getOrDefault(shapedAs, ItemShape.AS_IS);
	}

	/**
	 * Whether the member's resource at {@code uri} may be read: a resource its shape
	 * hides stays hidden when one of its templates would match the URI.
	 */
	boolean showsResource(String member, String uri) {
		return of(member, CatalogKind.RESOURCES).shows(uri);
	}

}
