package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.mcp.MemberIds.MemberRef;

import static org.assertj.core.api.Assertions.assertThat;

class MemberShapesTests {

	private static final CacheHints UNHINTED = new CacheHints(Duration.ofMinutes(1), false);

	@Test
	void globsMatchWholeNamesAndDenyWins() {
		ItemShape shape = new ItemShape(List.of("issue_*", "pr_?"), List.of("*_delete"), Map.of(), Map.of());

		assertThat(shape.shows("issue_create")).isTrue();
		assertThat(shape.shows("pr_1")).isTrue();
		assertThat(shape.shows("pr_12")).as("? is one character").isFalse();
		assertThat(shape.shows("issue_delete")).as("deny wins over allow").isFalse();
		assertThat(shape.shows("my_issue_create")).as("a glob matches the whole name").isFalse();
		assertThat(new ItemShape(List.of("a.b"), List.of(), Map.of(), Map.of()).shows("axb"))
			.as("only * and ? are special")
			.isFalse();
	}

	@Test
	void aRenameDecidesWhichNamesConflict() {
		MemberShapes shapes = new MemberShapes(Map.of("alpha",
				Map.of(CatalogKind.TOOLS, new ItemShape(List.of(), List.of(), Map.of("search", "find"), Map.of()))));

		Catalog catalog = tools(shapes, Map.of("alpha", List.of("search", "echo"), "beta", List.of("search", "find")));

		assertThat(names(catalog)).containsExactly("alpha_find", "echo", "search", "beta_find");
		assertThat(catalog.owner("alpha_find")).contains(new MemberRef<>("alpha", "search"));
		assertThat(catalog.owner("search")).contains(new MemberRef<>("beta", "search"));
	}

	@Test
	void aHiddenResourceStaysHiddenWhereATemplateMatchesIt() {
		MemberShapes shapes = new MemberShapes(Map.of("alpha", Map.of(CatalogKind.RESOURCES,
				new ItemShape(List.of(), List.of("file:///secret/*"), Map.of(), Map.of()))));

		assertThat(shapes.showsResource("alpha", "file:///secret/key")).isFalse();
		assertThat(shapes.showsResource("alpha", "file:///public/readme")).isTrue();
		assertThat(shapes.showsResource("beta", "file:///secret/key")).as("another member's shape").isTrue();
		assertThat(shapes.of("alpha", CatalogKind.RESOURCE_TEMPLATES).shows("file:///secret/{name}"))
			.as("templates follow the resources' shape")
			.isFalse();
	}

	private static Catalog tools(MemberShapes shapes, Map<String, List<String>> namesByMember) {
		Map<String, List<Catalog.Page>> fetched = new LinkedHashMap<>();
		namesByMember.keySet().stream().sorted().forEach((member) -> {
			List<JsonNode> items = namesByMember.get(member)
				.stream()
				.map((name) -> (JsonNode) JsonRpc.objectNode().put("name", name))
				.toList();
			fetched.put(member, List.of(new Catalog.Page("", items, null, null)));
		});
		return new Catalog(CatalogKind.TOOLS, fetched, NamingRule.PREFIX_ON_CONFLICT, shapes, true, UNHINTED);
	}

	private static List<String> names(Catalog catalog) {
		return catalog.members()
			.stream()
			.flatMap((member) -> catalog.page(member, "").orElseThrow().items().stream())
			.map((item) -> item.path("name").asString())
			.toList();
	}

}
