package dev.vmcp.sessions.mcp.v2026;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;

class ListenFilterTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final JsonNode REQUESTED = JSON.readTree("""
			{"toolsListChanged":true,"promptsListChanged":false,"resourcesListChanged":true,
			 "resourceSubscriptions":["a://watched"]}""");

	@Test
	void aMemberHonoursWhatItsCapabilitiesOfferAndAskedForOnly() {
		JsonNode initializeResult = JSON.readTree("""
				{"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":true},
				 "prompts":{"listChanged":true},"resources":{"subscribe":true}}}""");

		JsonNode honoured = ListenFilter.honoured(REQUESTED, List.of(initializeResult));

		assertThat(honoured).isEqualTo(JSON.readTree("""
				{"toolsListChanged":true,"resourceSubscriptions":["a://watched"]}"""));
	}

	@Test
	void severalMembersTogetherHonourWhatAnyOfThemOffers() {
		JsonNode tools = JSON.readTree("{\"capabilities\":{\"tools\":{\"listChanged\":true}}}");
		JsonNode resources = JSON.readTree("{\"capabilities\":{\"resources\":{\"listChanged\":true}}}");

		assertThat(ListenFilter.honoured(REQUESTED, List.of(tools, resources)).propertyNames())
			.containsExactlyInAnyOrder("toolsListChanged", "resourcesListChanged");
		assertThat(ListenFilter.honoured(REQUESTED, List.of())).isEmpty();
	}

	@Test
	void aFilterAdmitsTheListChangesItAskedForAndUpdatesOfItsResourcesOnly() {
		assertThat(ListenFilter.admits(REQUESTED, notification("notifications/tools/list_changed", "{}"))).isTrue();
		assertThat(ListenFilter.admits(REQUESTED, notification("notifications/prompts/list_changed", "{}"))).isFalse();
		assertThat(ListenFilter.admits(REQUESTED,
				notification("notifications/resources/updated", "{\"uri\":\"a://watched\"}")))
			.isTrue();
		assertThat(ListenFilter.admits(REQUESTED,
				notification("notifications/resources/updated", "{\"uri\":\"a://other\"}")))
			.isFalse();
		assertThat(ListenFilter.admits(REQUESTED, notification("notifications/message", "{}"))).isFalse();
	}

	@Test
	void aRelayedNotificationCarriesTheClientsSubscriptionIdBesideTheMembersMeta() {
		JsonNode tagged = ListenFilter.tagged(
				notification("notifications/resources/updated", "{\"uri\":\"a://watched\",\"_meta\":{\"k\":1}}"),
				StringNode.valueOf("listen-1"));

		assertThat(tagged.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asString())
			.isEqualTo("listen-1");
		assertThat(tagged.path("params").path("_meta").path("k").asInt()).isEqualTo(1);
		assertThat(tagged.path("params").path("uri").asString()).isEqualTo("a://watched");
	}

	private static JsonNode notification(String method, String params) {
		return JSON.readTree("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + "}");
	}

}
