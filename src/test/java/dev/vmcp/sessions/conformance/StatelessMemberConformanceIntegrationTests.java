package dev.vmcp.sessions.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.testsupport.NodeMember;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stateless member ({@code conformance/members/stateless-member.mjs}, TypeScript SDK
 * v2) on its own against the conformance suite's 2026-07-28 requirement set: it must pass
 * every required scenario before a gateway is put in front of it and held to the same.
 * Needs the packages in {@code conformance/} installed by the build (see
 * {@link ConformanceSuite}).
 */
class StatelessMemberConformanceIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static NodeMember member;

	@BeforeAll
	static void startMember() {
		member = NodeMember.start("members/stateless-member.mjs");
	}

	@AfterAll
	static void stopMember() {
		if (member != null) {
			member.close();
		}
	}

	@Test
	void theMemberPassesEveryScenarioThatRevision20260728Requires() {
		ConformanceReport report = ConformanceSuite.requirements("2026-07-28").run(member.url());

		assertThat(report.allPassed()).as(report::describeFailures).isTrue();
		assertThat(report.scoredScenarios()).extracting(ScenarioResult::name)
			.contains("server-stateless", "caching", "input-required-result-multi-round");
		// Pending in the suite, so not scored, but the member passes them: keep it so
		assertThat(report.passedScenarioNames()).contains("http-header-validation",
				"http-custom-header-server-validation", "json-schema-2020-12");
	}

	@Test
	void theMemberRefusesA2025ClientNamingTheOnlyRevisionItSpeaks() throws IOException, InterruptedException {
		String initialize = """
				{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25",
				 "capabilities": {}, "clientInfo": {"name": "old-client", "version": "1.0.0"}}}""";

		HttpResponse<String> response = post(member.url(), initialize);

		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = JSON.readTree(response.body()).path("error");
		assertThat(error.path("code").asInt()).isEqualTo(-32022);
		assertThat(error.path("data").path("supported").toString()).isEqualTo("[\"2026-07-28\"]");
	}

	private static HttpResponse<String> post(URI url, String body) throws IOException, InterruptedException {
		try (HttpClient client = HttpClient.newHttpClient()) {
			HttpRequest request = HttpRequest.newBuilder(url)
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json, text/event-stream")
				.POST(BodyPublishers.ofString(body))
				.build();
			return client.send(request, BodyHandlers.ofString());
		}
	}

}
