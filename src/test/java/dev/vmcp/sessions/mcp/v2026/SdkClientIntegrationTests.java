package dev.vmcp.sessions.mcp.v2026;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.NodeClient;
import dev.vmcp.sessions.testsupport.NodeMember;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.RoundRobinBalancer.Forwarded;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TypeScript SDK v2 client ({@code conformance/clients/sdk-client.mjs}) through two
 * pods sharing one Redis, behind a balancer that sends each request to the other pod, in
 * front of a member that speaks only 2026-07-28. The client runs pinned to 2026-07-28 and
 * in {@code auto} mode, where it probes with {@code server/discover} and must settle on
 * 2026-07-28 too; a 2025 client (the same SDK without negotiation) reaches the same
 * member through a session.
 */
class SdkClientIntegrationTests {

	private static final String REVISION = "2026-07-28";

	private static final String INPUT_REQUIRED_TOOL = "test_input_required_result_elicitation";

	private static final NodeClient DRIVER = new NodeClient("clients/sdk-client.mjs", Duration.ofSeconds(90));

	private static RedisServerProcess redis;

	private static NodeMember member;

	private static BalancedPods pods;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		member = NodeMember.start("members/stateless-member.mjs");
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "stateless");
		properties.put("vmcp.backends[0].url", member.url().toString());
		pods = BalancedPods.start(properties);
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, member, redis);
	}

	@ParameterizedTest
	@ValueSource(strings = { REVISION, "auto" })
	void listsTheMembersToolsPromptsAndResources(String mode) {
		JsonNode outcome = modernScenario(mode, "list");

		assertThat(names(outcome.path("tools"))).contains("echo", "count_with_progress", "add_tool",
				INPUT_REQUIRED_TOOL);
		assertThat(names(outcome.path("prompts"))).contains("greet");
		assertThat(names(outcome.path("resources"))).contains("member://greeting");
	}

	@ParameterizedTest
	@ValueSource(strings = { REVISION, "auto" })
	void callsATool(String mode) {
		JsonNode outcome = modernScenario(mode, "call");

		assertThat(outcome.path("text").asString()).isEqualTo("hello through the gateway");
		assertThat(outcome.path("isError").asBoolean()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { REVISION, "auto" })
	void readsAResource(String mode) {
		JsonNode contents = modernScenario(mode, "read").path("contents");

		assertThat(contents.size()).isEqualTo(1);
		assertThat(contents.get(0).path("uri").asString()).isEqualTo("member://greeting");
		assertThat(contents.get(0).path("text").asString()).isEqualTo("Hello from the stateless member");
	}

	@ParameterizedTest
	@ValueSource(strings = { REVISION, "auto" })
	void getsAPrompt(String mode) {
		JsonNode messages = modernScenario(mode, "prompt").path("messages");

		assertThat(messages.size()).isEqualTo(1);
		assertThat(messages.get(0).path("role").asString()).isEqualTo("user");
		assertThat(messages.get(0).path("text").asString()).isEqualTo("Please greet Grace.");
	}

	@ParameterizedTest
	@ValueSource(strings = { REVISION, "auto" })
	void deliversProgressBeforeTheResult(String mode) {
		JsonNode outcome = modernScenario(mode, "progress");

		assertThat(outcome.path("text").asString()).isEqualTo("counted to 3");
		// The member reports each of its three steps; at least one must reach the client
		// ahead of the result (the SDK drops progress for a request already answered).
		assertThat(outcome.path("progressBeforeResult").asInt()).isGreaterThanOrEqualTo(1);
		assertThat(outcome.path("progress").get(0).path("total").asInt()).isEqualTo(3);
	}

	@ParameterizedTest
	@ValueSource(strings = { REVISION, "auto" })
	void completesAnInputRequiredResultWithTheRetryOnTheOtherPod(String mode) {
		int before = pods.balancer().forwarded().size();

		JsonNode outcome = modernScenario(mode, "mrtr");

		assertThat(outcome.path("text").asString()).isEqualTo("Hello, Ada!");
		assertThat(outcome.path("rounds").asInt()).isEqualTo(2);
		assertThat(names(outcome.path("elicitations"))).containsExactly("What is your name?");
		// Nothing about the exchange stays on a pod: the first round is answered with
		// input_required by one pod, the retry with the elicited content by the other.
		List<Forwarded> rounds = pods.balancer()
			.forwarded()
			.subList(before, pods.balancer().forwarded().size())
			.stream()
			.filter((request) -> request.body().contains("\"tools/call\"")
					&& request.body().contains(INPUT_REQUIRED_TOOL))
			.toList();
		assertThat(rounds).hasSize(2);
		assertThat(rounds.get(0).body()).doesNotContain("inputResponses");
		assertThat(rounds.get(1).body()).contains("inputResponses", "Ada");
		assertThat(rounds.get(1).podPort()).isNotEqualTo(rounds.get(0).podPort());
	}

	@ParameterizedTest
	@ValueSource(strings = { REVISION, "auto" })
	void hearsAToolListChangeOnAListenStream(String mode) {
		JsonNode outcome = modernScenario(mode, "listen");

		assertThat(outcome.path("honoredFilter").path("toolsListChanged").asBoolean()).isTrue();
		assertThat(outcome.path("addTool").asString()).endsWith(" added");
		assertThat(outcome.path("listChanged").asBoolean()).isTrue();
	}

	@Test
	void allScenariosInOneRunPassInAutoMode() {
		NodeClient.Run run = DRIVER.run(pods.mcpUrl(), "auto", "all");

		assertThat(run.exitCode()).as(run::toString).isZero();
		for (String scenario : List.of("list", "call", "read", "prompt", "progress", "mrtr", "listen")) {
			assertThat(run.outcome().path(scenario).path("ok").asBoolean()).as(scenario + " in " + run).isTrue();
			assertThat(run.outcome().path(scenario).path("protocolVersion").asString()).isEqualTo(REVISION);
		}
	}

	@Test
	void a2025ClientListsAndCallsTheStatelessMemberThroughASession() {
		JsonNode listed = legacyScenario("list");
		JsonNode called = legacyScenario("call");

		assertThat(names(listed.path("tools"))).contains("echo");
		assertThat(called.path("text").asString()).isEqualTo("hello through the gateway");
	}

	/**
	 * Runs one scenario, which must pass on a 2026-07-28 connection: pinned, or reached
	 * from {@code auto} through the {@code server/discover} probe.
	 */
	private static JsonNode modernScenario(String mode, String scenario) {
		NodeClient.Run run = DRIVER.run(pods.mcpUrl(), mode, scenario);

		assertThat(run.exitCode()).as(run::toString).isZero();
		JsonNode outcome = run.outcome();
		assertThat(outcome.path("ok").asBoolean()).as(run::toString).isTrue();
		assertThat(outcome.path("era").asString()).as(run::toString).isEqualTo("modern");
		assertThat(outcome.path("protocolVersion").asString()).as(run::toString).isEqualTo(REVISION);
		return outcome;
	}

	/**
	 * Runs one scenario with the client's plain 2025 {@code initialize}, no probe: the
	 * gateway holds the session and speaks 2026-07-28 to the member for it.
	 */
	private static JsonNode legacyScenario(String scenario) {
		NodeClient.Run run = DRIVER.run(pods.mcpUrl(), "legacy", scenario);

		assertThat(run.exitCode()).as(run::toString).isZero();
		assertThat(run.outcome().path("era").asString()).as(run::toString).isEqualTo("legacy");
		assertThat(run.outcome().path("protocolVersion").asString()).as(run::toString).startsWith("2025-");
		return run.outcome();
	}

	private static List<String> names(JsonNode array) {
		return array.values().stream().map(JsonNode::asString).toList();
	}

}
