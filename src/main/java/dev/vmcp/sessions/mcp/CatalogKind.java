package dev.vmcp.sessions.mcp;

/**
 * The lists a session's members offer, each merged into one for the client.
 */
public enum CatalogKind {

	TOOLS("tools/list", "tools", "name", true),

	PROMPTS("prompts/list", "prompts", "name", true),

	RESOURCES("resources/list", "resources", "uri", false),

	RESOURCE_TEMPLATES("resources/templates/list", "resourceTemplates", "uriTemplate", false);

	private final String method;

	private final String field;

	private final String key;

	private final boolean named;

	CatalogKind(String method, String field, String key, boolean named) {
		this.method = method;
		this.field = field;
		this.key = key;
		this.named = named;
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
