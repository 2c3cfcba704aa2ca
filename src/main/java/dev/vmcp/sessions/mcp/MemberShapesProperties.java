package dev.vmcp.sessions.mcp;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vmcp.sessions.config.BackendProperties;
import dev.vmcp.sessions.config.BackendProperties.Backend;
import dev.vmcp.sessions.config.BackendProperties.NamedItems;

/**
 * Reads the members' shapes from {@code vmcp.backends[i].tools}, {@code prompts} and
 * {@code resources}, refusing at start-up what could only go wrong later.
 */
final class MemberShapesProperties {

	private MemberShapesProperties() {
	}

	static MemberShapes shapes(BackendProperties properties) {
		Map<String, Map<CatalogKind, ItemShape>> byMember = new HashMap<>();
		List<Backend> backends = properties.backends();
		for (int index = 0; index < backends.size(); index++) {
			Backend backend = backends.get(index);
			String property = "vmcp.backends[" + index + "]";
			Map<CatalogKind, ItemShape> shapes = new EnumMap<>(CatalogKind.class);
			shapes.put(CatalogKind.TOOLS, named(backend.tools(), property + ".tools"));
			shapes.put(CatalogKind.PROMPTS, named(backend.prompts(), property + ".prompts"));
			shapes.put(CatalogKind.RESOURCES,
					new ItemShape(backend.resources().allow(), backend.resources().deny(), Map.of(), Map.of()));
			byMember.put(backend.name(), shapes);
		}
		return new MemberShapes(byMember);
	}

	private static ItemShape named(NamedItems items, String property) {
		Map<String, String> renamedFrom = new HashMap<>();
		items.rename().forEach((own, shown) -> {
			String earlier = renamedFrom.putIfAbsent(shown, own);
			if (earlier != null) {
				throw new IllegalStateException(property + ".rename gives both " + earlier + " and " + own
						+ " the name " + shown + ": a name must reach one item");
			}
		});
		return new ItemShape(items.allow(), items.deny(), items.rename(), items.descriptions());
	}

}
