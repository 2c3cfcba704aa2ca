package dev.vmcp.sessions.mcp.v2026;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.ProtocolVersions;
import dev.vmcp.sessions.backend.MemberRevisions;
import dev.vmcp.sessions.mcp.CacheHints;
import dev.vmcp.sessions.mcp.CatalogKind;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.LegacyTasks;
import dev.vmcp.sessions.mcp.MemberDescriptions;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.StatelessMeta;

/**
 * Answers {@code server/discover} for the gateway: every revision it speaks (a client
 * that names a 2025 one then initializes), the union of the members' capabilities, their
 * instructions, the gateway's own identity, and caching hints as short and as narrow as
 * the members' own.
 */
final class Discovery {

	private final String serverVersion;

	private final CacheHints unhinted;

	private final MemberRevisions revisions;

	private final RequestFlow flow;

	/**
	 * @param unhinted the hints for a member's result that carries none
	 */
	Discovery(String serverVersion, CacheHints unhinted, MemberRevisions revisions, RequestFlow flow) {
		this.serverVersion = serverVersion;
		this.unhinted = unhinted;
		this.revisions = revisions;
		this.flow = flow;
	}

	ObjectNode describe(StatelessContext context) {
		Map<String, JsonNode> described = described(context);
		ObjectNode result = JsonRpc.objectNode();
		result.put("resultType", "complete");
		ProtocolVersions.ALL.forEach(result.putArray("supportedVersions")::add);
		ObjectNode capabilities = MemberDescriptions.mergedCapabilities(List.copyOf(described.values()));
		LegacyTasks.declareForStateless(capabilities);
		result.set("capabilities", capabilities);
		result.putObject("_meta")
			.putObject(StatelessMeta.SERVER_INFO)
			.put("name", "vmcp-sessions")
			.put("version", this.serverVersion);
		MemberDescriptions.instructions(described).ifPresent((text) -> result.put("instructions", text));
		described.values()
			.stream()
			.map((member) -> CacheHints.of(member).orElse(this.unhinted))
			.reduce(CacheHints::and)
			.orElse(this.unhinted)
			.writeTo(result);
		return result;
	}

	/** Whether any member offers the capability ({@code tools}, {@code prompts}, ...). */
	boolean offers(StatelessContext context, String capability) {
		return described(context).values().stream().anyMatch((member) -> member.path("capabilities").has(capability));
	}

	/**
	 * What each member said of itself: a stateless member's discover result; a 2025
	 * member's initialize result as this pod last saw it, or, on a pod that never
	 * initialized it, what its lists show it offers.
	 */
	private Map<String, JsonNode> described(StatelessContext context) {
		Map<String, JsonNode> described = new LinkedHashMap<>();
		context.revisions().forEach((member, revision) -> {
			if (revision.stateless()) {
				revision.discoverResult().ifPresent((result) -> described.put(member, result));
			}
			else {
				described.put(member, this.revisions.lastInitializeResult(member).orElseGet(() -> {
					JsonNode listed = listedCapabilities(context, member);
					// Listing initialized the member in the caller's session: its own
					// word now.
					return this.revisions.lastInitializeResult(member).orElse(listed);
				}));
			}
		});
		return described;
	}

	private JsonNode listedCapabilities(StatelessContext context, String member) {
		ObjectNode described = JsonRpc.objectNode();
		ObjectNode capabilities = described.putObject("capabilities");
		for (CatalogKind kind : List.of(CatalogKind.TOOLS, CatalogKind.PROMPTS, CatalogKind.RESOURCES)) {
			if (this.flow.lists(context, kind, member)) {
				capabilities.putObject(kind.field());
			}
		}
		return described;
	}

}
