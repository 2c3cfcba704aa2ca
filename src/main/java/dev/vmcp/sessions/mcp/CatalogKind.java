package dev.vmcp.sessions.mcp;

/**
 * The lists a session's members offer, each merged into one for the client.
 */
public enum CatalogKind {

	TOOLS("tools/list", "tools", "name", true, "tool"),

	PROMPTS("prompts/list", "prompts", "name", true, "prompt"),

	RESOURCES("resources/list", "resources", "uri", false, "resource"),

	RESOURCE_TEMPLATES("resources/templates/list", "resourceTemplates", "uriTemplate", false, "resourceTemplate");

	private final String method;

	private final String field;

	private final String key;

	private final boolean named;

	private final String itemKind;

	CatalogKind(String method, String field, String key, boolean named, String itemKind) {
		this.method = method;
		this.field = field;
		this.key = key;
		this.named = named;
		this.itemKind = itemKind;
	}

	/** What one item is called in policy rules ({@code kind}), e.g. {@code tool}. */
	String itemKind() {
		return this.itemKind;
	}

	/** The list method, e.g. {@code tools/list}. */
	public String method() {
		return this.method;
	}

	/** The result's array field, e.g. {@code tools}. */
	public String field() {
		return this.field;
	}

	/** The item's identifying field, e.g. {@code name} or {@code uri}. */
	String key() {
		return this.key;
	}

	/**
	 * Whether items are known by a name the gateway may prefix; resources keep their
	 * URIs.
	 */
	boolean named() {
		return this.named;
	}

	public static CatalogKind forMethod(String method) {
		for (CatalogKind kind : values()) {
			if (kind.method.equals(method)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("Not a list method: " + method);
	}

}
