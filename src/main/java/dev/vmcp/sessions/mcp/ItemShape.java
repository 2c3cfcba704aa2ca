package dev.vmcp.sessions.mcp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * How one member's items of one kind (its tools, say) are shown: which names pass (an
 * allow list of globs, empty for all; a deny list that wins), the names they are shown
 * under, and descriptions that replace the member's own. Immutable.
 */
final class ItemShape {

	/** Shows everything as the member wrote it. */
	static final ItemShape AS_IS = new ItemShape(List.of(), List.of(), Map.of(), Map.of());

	private final Predicate<String> allowed;

	private final Map<String, String> renames;

	private final Map<String, String> descriptions;

	/**
	 * @param allow globs ({@code *} any run of characters, {@code ?} one) of the member's
	 * own names that are shown; empty shows all
	 * @param deny globs of the member's own names that are hidden even where allowed
	 * @param renames the member's own name to the name clients see
	 * @param descriptions the member's own name to the description clients see
	 */
	ItemShape(List<String> allow, List<String> deny, Map<String, String> renames, Map<String, String> descriptions) {
		Predicate<String> allowedByList = allow.isEmpty() ? (name) -> true : anyOf(allow);
		this.allowed = allowedByList.and(anyOf(deny).negate());
		this.renames = Map.copyOf(renames);
		this.descriptions = Map.copyOf(descriptions);
	}

	/** Whether the item the member calls {@code ownName} is shown at all. */
	boolean shows(String ownName) {
		return this.allowed.test(ownName);
	}

	/** The name clients see for the member's {@code ownName}, before any prefix. */
	String shownName(String ownName) {
		return this.renames.getOrDefault(ownName, ownName);
	}

	/** The description clients see instead of the member's, if one is set. */
	Optional<String> description(String ownName) {
		return Optional.ofNullable(this.descriptions.get(ownName));
	}

	/** Whether items are shown other than as the member wrote them. */
	boolean rewrites(String ownName) {
		return this.renames.containsKey(ownName) || this.descriptions.containsKey(ownName);
	}

	private static Predicate<String> anyOf(List<String> globs) {
		List<Pattern> patterns = globs.stream().map(ItemShape::compile).toList();
		return (name) -> patterns.stream().anyMatch((pattern) -> pattern.matcher(name).matches());
	}

	private static Pattern compile(String glob) {
		StringBuilder regex = new StringBuilder();
		StringBuilder literal = new StringBuilder();
		for (char c : glob.toCharArray()) {
			if (c == '*' || c == '?') {
				regex.append(Pattern.quote(literal.toString())).append((c == '*') ? ".*" : ".");
				literal.setLength(0);
			}
			else {
				literal.append(c);
			}
		}
		return Pattern.compile(regex.append(Pattern.quote(literal.toString())).toString(), Pattern.DOTALL);
	}

}
