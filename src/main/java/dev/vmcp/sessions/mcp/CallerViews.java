package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.policy.ItemPolicy;
import dev.vmcp.sessions.session.Caller;

/**
 * What each caller sees of a catalog under {@code vmcp.policy}: the catalog without the
 * items the policy hides from the caller, worked out once per catalog and set of claims
 * (a list or a call then costs a lookup, not a rule evaluation per item). Without rules,
 * the catalog itself. Thread-safe.
 */
final class CallerViews {

	/** Views outlive neither their catalog's usefulness nor a token's usual lifetime. */
	private static final Duration KEPT_UNUSED = Duration.ofMinutes(10);

	private final ItemPolicy policy;

	private final Cache<ViewKey, Catalog> views;

	CallerViews(ItemPolicy policy, long capacity) {
		this.policy = policy;
		this.views = Caffeine.newBuilder().maximumSize(capacity).expireAfterAccess(KEPT_UNUSED).build();
	}

	/** Whether any rule shapes what callers see (their lists are then private). */
	boolean shapesLists() {
		return !this.policy.isEmpty();
	}

	/** The catalog as {@code caller} sees it. */
	Catalog of(Catalog catalog, Caller caller) {
		if (this.policy.isEmpty()) {
			return catalog;
		}
		return this.views.get(new ViewKey(catalog, caller.claims()), (key) -> {
			ItemPolicy.Subject subject = new ItemPolicy.Subject(caller.claims());
			String kind = catalog.kind().itemKind();
			return catalog.visible((member, ownKey, shown) -> this.policy.shows(subject, member, kind,
					asMemberWroteIt(catalog.kind(), ownKey, shown)));
		});
	}

	/** Whether {@code caller} may reach the member's resource at {@code uri}. */
	boolean showsResource(Caller caller, String member, String uri) {
		return this.policy.isEmpty() || this.policy.shows(caller.claims(), member, CatalogKind.RESOURCES.itemKind(),
				JsonRpc.objectNode().put("uri", uri));
	}

	/**
	 * Rules see the member's own name, not the one naming gave it: a prefix comes and
	 * goes with the members present, a rule should not.
	 */
	private static JsonNode asMemberWroteIt(CatalogKind kind, String ownKey, JsonNode shown) {
		if (!kind.named() || !(shown instanceof ObjectNode object)
				|| ownKey.equals(shown.path(kind.key()).asString(""))) {
			return shown;
		}
		return object.deepCopy().put(kind.key(), ownKey);
	}

	/** A catalog (by identity: each fetch is a new one) and the claims of a caller. */
	private record ViewKey(Catalog catalog, Map<String, Object> claims) {
	}

}
