package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.mcp.v2025.ResumingClient.EventStream;
import dev.vmcp.sessions.mcp.v2025.ResumingClient.SseEvent;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Resumption with the memory store: one pod keeps the events in its memory, for a replay
 * window of 3 s here.
 */
class SinglePodStreamResumptionIntegrationTests {

	private static LongCallMember member;

	private static TestPod pod;

	@BeforeAll
	static void start() {
		member = LongCallMember.start();
		pod = TestPod.start(Map.of("vmcp.backends[0].name", "worker", "vmcp.backends[0].url", member.url().toString(),
				"vmcp.mcp.replay-window", "3s"));
	}

	@AfterAll
	static void stop() {
		Closing.all(pod, member);
	}

	@AfterEach
	void letCallsFinish() {
		member.release();
	}

	@Test
	void aCutStreamIsResumedFromThePodsMemoryWithEveryEventExactlyOnce() {
		ResumingClient client = new ResumingClient(url());
		client.initialize("2025-11-25");
		member.hold();

		EventStream call = client.call(3, LongCallMember.TOOL);
		SseEvent priming = call.next();
		SseEvent started = call.next();
		call.cut();
		EventStream resumed = client.resume(started.id());
		assertThat(resumed.status()).isEqualTo(200);
		member.release();
		List<SseEvent> rest = resumed.rest();

		String stream = StreamResumptionIntegrationTests.streamOf(priming);
		assertThat(priming.id()).isEqualTo(stream + ":0");
		assertThat(StreamResumptionIntegrationTests.describe(started)).isEqualTo("progress started");
		assertThat(rest).extracting(StreamResumptionIntegrationTests::describe)
			.containsExactly("progress resumed", "progress finishing", "result " + LongCallMember.RESULT);
		assertThat(rest).extracting(SseEvent::id).containsExactly(stream + ":2", stream + ":3", stream + ":4");
	}

	@Test
	void aStreamCanNoLongerBeResumedOnceTheReplayWindowHasPassedSinceItsLastEvent() {
		ResumingClient client = new ResumingClient(url());
		client.initialize("2025-06-18");
		List<SseEvent> answered = client.call(4, LongCallMember.TOOL).rest();
		String first = answered.getFirst().id();

		assertThat(client.resume(first).rest()).as("within the window").hasSize(answered.size() - 1);

		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> client.resume(first).status() == 400);
	}

	private static java.net.URI url() {
		return java.net.URI.create("http://127.0.0.1:" + pod.port() + "/mcp");
	}

}
