package dev.vmcp.sessions.mcp;

/**
 * How tools and prompts of several members are named for the client
 * ({@code vmcp.mcp.tool-naming}).
 */
public enum NamingRule {

	/**
	 * Only names that two or more members share become {@code <member>_<name>}; the rest
	 * keep their own names.
	 */
	PREFIX_ON_CONFLICT,

	/** Every name becomes {@code <member>_<name>}. */
	PREFIX_ALL;

	static final String SEPARATOR = "_";

	String exposedName(String member, String name, boolean shared) {
		return (this == PREFIX_ALL || shared) ? member + SEPARATOR + name : name;
	}

}
