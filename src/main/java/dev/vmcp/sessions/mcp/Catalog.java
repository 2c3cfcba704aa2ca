package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.MemberIds.MemberRef;

/**
 * One merged list of a session (its tools, say), as this pod last fetched it from the
 * members: each member's pages as the member paged them, items under the names the client
 * sees, and which member owns each name. Immutable; built the same way on every pod, so
 * that routing never depends on where the session started.
 */
final class Catalog {

	private final CatalogKind kind;

	private final Map<String, List<Page>> pagesByMember;

	private final Map<String, MemberRef<String>> owners = new HashMap<>();

	private final Map<String, JsonNode> items = new HashMap<>();

	private final boolean complete;

	private final CacheHints hints;

	private final long fetchedAtNanos;

	/**
	 * @param fetched each member's pages in membership order, items as the member sent
	 * them
	 * @param complete whether every member answered (a catalog missing a member is
	 * rebuilt sooner)
	 * @param unhinted the hints of a page that carries none (a 2025 member's)
	 */
	Catalog(CatalogKind kind, Map<String, List<Page>> fetched, NamingRule naming, MemberShapes shapes, boolean complete,
			CacheHints unhinted) {
		this.kind = kind;
		this.complete = complete;
		this.fetchedAtNanos = System.nanoTime();
		this.hints = fetched.values()
			.stream()
			.flatMap(List::stream)
			.map((page) -> (page.hints() != null) ? page.hints() : unhinted)
			.reduce(CacheHints::and)
			.orElse(unhinted);
		Map<String, Integer> membersPerKey = countMembersPerKey(kind, fetched, shapes);
		this.pagesByMember = new LinkedHashMap<>();
		fetched.forEach((member, pages) -> {
			ItemShape shape = shapes.of(member, kind);
			this.pagesByMember.put(member,
					pages.stream().map((page) -> expose(member, page, shape, naming, membersPerKey)).toList());
		});
	}

	/**
	 * The same catalog without the items {@code shown} rejects (given the member and the
	 * item as shown), as old and as fresh as this one; private, since it is one caller's
	 * view.
	 */
	private Catalog(Catalog source, ItemFilter shown) {
		this.kind = source.kind;
		this.complete = source.complete;
		this.fetchedAtNanos = source.fetchedAtNanos;
		this.hints = new CacheHints(source.hints.ttl(), false);
		this.pagesByMember = new LinkedHashMap<>();
		source.pagesByMember.forEach((member, pages) -> this.pagesByMember.put(member,
				pages.stream()
					.map((page) -> page.only((item) -> shown.test(member, source.ownKey(member, item), item)))
					.toList()));
		source.owners.forEach((exposedKey, owner) -> {
			JsonNode item = source.items.get(exposedKey);
			if (item != null && shown.test(owner.member(), owner.value(), item)) {
				this.owners.put(exposedKey, owner);
				this.items.put(exposedKey, item);
			}
		});
	}

	/** The member's own name (or URI) of an item it shows. */
	private String ownKey(String member, JsonNode shownItem) {
		String exposedKey = shownItem.path(this.kind.key()).asString("");
		MemberRef<String> owner = this.owners.get(exposedKey);
		return (owner != null && owner.member().equals(member)) ? owner.value() : exposedKey;
	}

	/** This catalog as a caller sees it: only the items {@code shown} accepts. */
	Catalog visible(ItemFilter shown) {
		return new Catalog(this, shown);
	}

	CatalogKind kind() {
		return this.kind;
	}

	boolean isComplete() {
		return this.complete;
	}

	/**
	 * How long the merged list stays fresh from when it was fetched (its least fresh
	 * page's hint), and whether every page may be shared.
	 */
	CacheHints hints() {
		return this.hints;
	}

	/** The hints as of now: what is left of the freshness since the fetch. */
	CacheHints currentHints() {
		return this.hints.aged(Duration.ofNanos(System.nanoTime() - this.fetchedAtNanos));
	}

	/**
	 * Members in membership order that have at least one page (a member without the
	 * capability has none).
	 */
	List<String> members() {
		return this.pagesByMember.entrySet()
			.stream()
			.filter((member) -> !member.getValue().isEmpty())
			.map(Map.Entry::getKey)
			.toList();
	}

	/** The member's page fetched with {@code memberCursor} (empty text: its first). */
	Optional<Page> page(String member, String memberCursor) {
		return this.pagesByMember.getOrDefault(member, List.of())
			.stream()
			.filter((page) -> page.requestCursor().equals(memberCursor))
			.findFirst();
	}

	/**
	 * The member owning an exposed name or URI, and the member's own name for it. Where
	 * two members serve one URI, the first in membership order gets its requests.
	 */
	Optional<MemberRef<String>> owner(String exposedKey) {
		MemberRef<String> owner = this.owners.get(exposedKey);
		return (owner != null) ? Optional.of(owner) : ownerByPrefix(exposedKey);
	}

	/**
	 * {@code <member>_<name>} reaches that member's {@code name} even where the name is
	 * shown without the prefix right now (the member it conflicts with is down), so that
	 * a name a client learned earlier keeps working.
	 */
	private Optional<MemberRef<String>> ownerByPrefix(String exposedKey) {
		if (!this.kind.named()) {
			return Optional.empty();
		}
		for (String member : this.pagesByMember.keySet()) {
			String prefix = member + NamingRule.SEPARATOR;
			if (exposedKey.startsWith(prefix)) {
				MemberRef<String> owner = this.owners.get(exposedKey.substring(prefix.length()));
				if (owner != null && owner.member().equals(member)) {
					return Optional.of(owner);
				}
			}
		}
		return Optional.empty();
	}

	/** The item shown under an exposed name or URI (a tool's definition, say). */
	Optional<JsonNode> item(String exposedKey) {
		JsonNode item = this.items.get(exposedKey);
		if (item != null) {
			return Optional.of(item);
		}
		return ownerByPrefix(exposedKey).map((owner) -> this.items.get(owner.value()));
	}

	/** The first member with a resource template that {@code uri} matches. */
	Optional<String> templateOwner(String uri) {
		for (Map.Entry<String, List<Page>> member : this.pagesByMember.entrySet()) {
			for (Page page : member.getValue()) {
				for (JsonNode template : page.items()) {
					if (matches(template.path("uriTemplate").asString(""), uri)) {
						return Optional.of(member.getKey());
					}
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * The page as clients see it: what the member's shape hides left out, the rest under
	 * its shown name (prefixed where the naming rule says) and description.
	 */
	private Page expose(String member, Page page, ItemShape shape, NamingRule naming,
			Map<String, Integer> membersPerKey) {
		List<JsonNode> exposed = new ArrayList<>(page.items().size());
		for (JsonNode item : page.items()) {
			String key = item.path(this.kind.key()).asString("");
			if (!shape.shows(key)) {
				continue;
			}
			String exposedKey = key;
			JsonNode shown = item;
			if (this.kind.named() && item instanceof ObjectNode object) {
				String shownName = shape.shownName(key);
				exposedKey = naming.exposedName(member, shownName, membersPerKey.getOrDefault(shownName, 0) > 1);
				shown = reshaped(object, key, exposedKey, shape);
			}
			this.owners.putIfAbsent(exposedKey, new MemberRef<>(member, key));
			this.items.putIfAbsent(exposedKey, shown);
			exposed.add(shown);
		}
		return new Page(page.requestCursor(), exposed, page.nextCursor(), page.hints());
	}

	private JsonNode reshaped(ObjectNode item, String key, String exposedKey, ItemShape shape) {
		if (exposedKey.equals(key) && !shape.rewrites(key)) {
			return item;
		}
		ObjectNode shown = item.deepCopy().put(this.kind.key(), exposedKey);
		shape.description(key).ifPresent((description) -> shown.put("description", description));
		return shown;
	}

	/** How many members show each name, to tell which names conflict. */
	private static Map<String, Integer> countMembersPerKey(CatalogKind kind, Map<String, List<Page>> fetched,
			MemberShapes shapes) {
		Map<String, Integer> counts = new HashMap<>();
		fetched.forEach((member, pages) -> {
			ItemShape shape = shapes.of(member, kind);
			pages.stream()
				.flatMap((page) -> page.items().stream())
				.map((item) -> item.path(kind.key()).asString(""))
				.filter(shape::shows)
				.map((key) -> kind.named() ? shape.shownName(key) : key)
				.distinct()
				.forEach((key) -> counts.merge(key, 1, Integer::sum));
		});
		return counts;
	}

	/**
	 * Whether {@code uri} is an expansion of an RFC 6570 template: literal parts must
	 * match, a simple expression matches within one path segment, reserved and fragment
	 * expansions match anything.
	 */
	static boolean matches(String uriTemplate, String uri) {
		if (uriTemplate.isEmpty()) {
			return false;
		}
		StringBuilder regex = new StringBuilder();
		Matcher expressions = Pattern.compile("\\{([^}]*)}").matcher(uriTemplate);
		int literalStart = 0;
		while (expressions.find()) {
			regex.append(Pattern.quote(uriTemplate.substring(literalStart, expressions.start())));
			String expression = expressions.group(1);
			regex.append((expression.startsWith("+") || expression.startsWith("#")) ? ".*" : "[^/]*");
			literalStart = expressions.end();
		}
		regex.append(Pattern.quote(uriTemplate.substring(literalStart)));
		return uri.matches(regex.toString());
	}

	/** Whether a member's item is part of a caller's view. */
	@FunctionalInterface
	interface ItemFilter {

		/**
		 * @param ownKey the member's own name (or URI) for the item
		 * @param shownItem the item as clients see it
		 */
		boolean test(String member, String ownKey, JsonNode shownItem);

	}

	/**
	 * One page of one member's list.
	 *
	 * @param requestCursor the member's cursor that fetched it; empty for its first page
	 * @param items the items
	 * @param nextCursor the member's cursor for its next page, if any
	 * @param hints the member's caching hints for the page, if it gave any
	 */
	record Page(String requestCursor, List<JsonNode> items, @Nullable String nextCursor, @Nullable CacheHints hints) {

		Page {
			items = List.copyOf(items);
		}

		/** The page with only the items {@code shown} accepts, its cursors unchanged. */
		Page only(Predicate<JsonNode> shown) {
			return new Page(this.requestCursor, this.items.stream().filter(shown).toList(), this.nextCursor,
					this.hints);
		}

	}

}
