package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendUnavailableException;

/**
 * This pod's catalogs, per scope (a session, or the stateless view) and kind, fetched
 * from the members when first needed (in parallel, outside any cache lock, once however
 * many requests need it) and kept until a member announces a change, or for a while: a
 * catalog that misses a failing member is fetched again sooner, so that its items come
 * back, and lists answered to clients honour the members' caching hints. Thread-safe.
 */
final class Catalogs {

	private static final Logger logger = LoggerFactory.getLogger(Catalogs.class);

	/** A member paging without end is cut off here. */
	private static final int MAX_PAGES_PER_MEMBER = 1000;

	private final AsyncCache<Key, Catalog> cache;

	private final Members members;

	private final NamingRule naming;

	private final MemberShapes shapes;

	private final CallerViews views;

	private final Executor executor;

	private final McpMetrics metrics;

	/**
	 * A 2025 member's list carries no caching hints: it is said to stay fresh as long as
	 * this pod keeps it, and to be private, since it came through a caller's session.
	 */
	private final CacheHints unhinted;

	Catalogs(Members members, NamingRule naming, MemberShapes shapes, CallerViews views, Executor executor,
			McpMetrics metrics, long capacity, Duration completeTtl, Duration incompleteTtl) {
		this.members = members;
		this.naming = naming;
		this.shapes = shapes;
		this.views = views;
		this.executor = executor;
		this.metrics = metrics;
		this.unhinted = new CacheHints(completeTtl, false);
		this.cache = Caffeine.newBuilder()
			.maximumSize(capacity)
			.executor(executor)
			.expireAfter(
					Expiry.<Key, Catalog>writing((key, catalog) -> catalog.isComplete() ? completeTtl : incompleteTtl))
			.buildAsync();
	}

	/**
	 * The session's catalog of that kind as the caller may see it, fetched if this pod
	 * has none.
	 */
	Catalog get(ClientContext context, CatalogKind kind) {
		return this.views.of(unfiltered(context, kind), context.caller());
	}

	/**
	 * Whether {@code exposedKey} names an item this pod's catalog has and the policy
	 * hides from the caller.
	 */
	boolean hiddenByPolicy(ClientContext context, CatalogKind kind, String exposedKey) {
		return this.views.shapesLists() && unfiltered(context, kind).owner(exposedKey).isPresent()
				&& get(context, kind).owner(exposedKey).isEmpty();
	}

	private Catalog unfiltered(ClientContext context, CatalogKind kind) {
		Key key = new Key(context.catalogScope(), kind);
		return join(
				this.cache.get(key, (ignored, pool) -> CompletableFuture.supplyAsync(() -> load(context, kind), pool)));
	}

	/**
	 * The catalog to answer a list request with: fetched again once it is older than the
	 * members' own hints say their lists stay fresh, so that clients never get a list
	 * staler than a member allows. Routing uses {@link #get} instead: a name the cached
	 * catalog does not know is looked up in a fresh one anyway, and a member whose lists
	 * are never fresh (a hint of 0) would otherwise be listed again on every call.
	 */
	Catalog fresh(ClientContext context, CatalogKind kind) {
		Catalog catalog = get(context, kind);
		return catalog.currentHints().ttl().isZero() ? refresh(context, kind) : catalog;
	}

	/** Fetches the catalog again, for a name or URI the cached one does not know. */
	Catalog refresh(ClientContext context, CatalogKind kind) {
		this.cache.synchronous().invalidate(new Key(context.catalogScope(), kind));
		return get(context, kind);
	}

	/**
	 * Whether the member's shape lets clients reach the resource at {@code uri} (one its
	 * lists hide may still match one of its templates).
	 */
	boolean shapeShowsResource(String member, String uri) {
		return this.shapes.showsResource(member, uri);
	}

	/** Whether the policy lets the caller reach the member's resource at {@code uri}. */
	boolean policyShowsResource(ClientContext context, String member, String uri) {
		return this.views.showsResource(context.caller(), member, uri);
	}

	/**
	 * Forgets this pod's catalogs of the scope: a member announced a change, or failed
	 * here.
	 */
	void invalidate(CatalogScope scope) {
		if (scope.equals(CatalogScope.STATELESS)) {
			// A stateless member's change shows in every view without sessions.
			this.cache.synchronous().asMap().keySet().removeIf((key) -> key.scope().session() == null);
			return;
		}
		for (CatalogKind kind : CatalogKind.values()) {
			this.cache.synchronous().invalidate(new Key(scope, kind));
		}
	}

	private Catalog load(ClientContext context, CatalogKind kind) {
		List<String> memberNames = context.members();
		Map<String, CompletableFuture<Optional<List<Catalog.Page>>>> fetches = new LinkedHashMap<>();
		for (String member : memberNames) {
			fetches.put(member, CompletableFuture.supplyAsync(() -> fetchAll(context, member, kind), this.executor));
		}
		Map<String, List<Catalog.Page>> fetched = new LinkedHashMap<>();
		boolean complete = true;
		for (Map.Entry<String, CompletableFuture<Optional<List<Catalog.Page>>>> fetch : fetches.entrySet()) {
			Optional<List<Catalog.Page>> pages = fetch.getValue().join();
			if (pages.isPresent()) {
				fetched.put(fetch.getKey(), pages.get());
			}
			else {
				complete = false;
			}
		}
		return new Catalog(kind, fetched, this.naming, this.shapes, complete, this.unhinted);
	}

	/** Every page of one member's list; empty when the member failed (left out). */
	private Optional<List<Catalog.Page>> fetchAll(ClientContext context, String member, CatalogKind kind) {
		List<Catalog.Page> pages = new ArrayList<>();
		String cursor = "";
		try {
			while (pages.size() < MAX_PAGES_PER_MEMBER) {
				JsonNode response = this.members.call(context, member, kind.method(), params(cursor));
				if (response.has("error")) {
					return leftOutUnlessUnsupported(context, member, kind, response.get("error"));
				}
				JsonNode result = response.path("result");
				Catalog.Page page = new Catalog.Page(cursor, items(result, kind), nextCursor(result),
						CacheHints.of(result).orElse(null));
				pages.add(page);
				if (page.nextCursor() == null) {
					break;
				}
				cursor = page.nextCursor();
			}
			return Optional.of(pages);
		}
		catch (BackendUnavailableException ex) {
			logger.warn("Backend {} left out of {} of {}: {}", member, kind.method(), context.shortId(),
					ex.getMessage());
			this.metrics.memberLeftOut(member, kind.method());
			return Optional.empty();
		}
	}

	/**
	 * A member without the capability has nothing to list; any other error leaves it out.
	 */
	private Optional<List<Catalog.Page>> leftOutUnlessUnsupported(ClientContext context, String member,
			CatalogKind kind, JsonNode error) {
		if (error.path("code").asInt() == JsonRpc.METHOD_NOT_FOUND) {
			return Optional.of(List.of());
		}
		logger.warn("Backend {} left out of {} of {}: error {}", member, kind.method(), context.shortId(),
				error.path("code").asInt());
		this.metrics.memberLeftOut(member, kind.method());
		return Optional.empty();
	}

	private static @Nullable JsonNode params(String cursor) {
		if (cursor.isEmpty()) {
			return null;
		}
		ObjectNode params = JsonRpc.objectNode();
		params.put("cursor", cursor);
		return params;
	}

	private static List<JsonNode> items(JsonNode result, CatalogKind kind) {
		List<JsonNode> items = new ArrayList<>();
		result.path(kind.field()).forEach(items::add);
		return items;
	}

	private static @Nullable String nextCursor(JsonNode result) {
		JsonNode next = result.get("nextCursor");
		return (next != null && next.isString() && !next.asString().isEmpty()) ? next.asString() : null;
	}

	private static Catalog join(CompletableFuture<Catalog> catalog) {
		try {
			return catalog.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw ex;
		}
	}

	private record Key(CatalogScope scope, CatalogKind kind) {
	}

}
