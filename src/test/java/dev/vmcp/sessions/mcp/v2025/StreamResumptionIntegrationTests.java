package dev.vmcp.sessions.mcp.v2025;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.mcp.v2025.ResumingClient.EventStream;
import dev.vmcp.sessions.mcp.v2025.ResumingClient.ReadAhead;
import dev.vmcp.sessions.mcp.v2025.ResumingClient.SseEvent;
import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisCli;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.RoundRobinBalancer.Forwarded;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 2025 client's broken stream resumed with {@code Last-Event-ID} on the other pod: two
 * pods sharing a real redis-server behind a round-robin balancer, which sends the
 * resuming {@code GET} to the pod that did not serve the stream, a member whose long call
 * waits where the test says, and a member whose list changes reach standalone streams.
 * The gateway closes a 2025-11-25 client's request stream after 500 ms, for the client to
 * poll it.
 */
class StreamResumptionIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static RedisServerProcess redis;

	private static LongCallMember member;

	private static McpBackendServer lister;

	private static BalancedPods pods;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		member = LongCallMember.start();
		lister = McpBackendServer.start("lister", ResponseMode.SSE);
		Map<String, Object> properties = new HashMap<>(TestPod.redisProperties(redis.port()));
		properties.put("vmcp.backends[0].name", "worker");
		properties.put("vmcp.backends[0].url", member.url().toString());
		properties.put("vmcp.backends[1].name", "lister");
		properties.put("vmcp.backends[1].url", lister.url().toString());
		properties.put("vmcp.mcp.stream-poll-interval", "500ms");
		pods = BalancedPods.start(properties);
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, lister, member, redis);
	}

	@AfterEach
	void letCallsFinish() {
		member.release();
	}

	@Test
	void aCallWhoseConnectionIsCutIsResumedOnTheOtherPodWithEveryEventExactlyOnce() {
		ResumingClient client = new ResumingClient(pods.mcpUrl());
		client.initialize("2025-06-18");
		member.hold();

		EventStream call = client.call(7, LongCallMember.TOOL);
		assertThat(call.contentType()).startsWith("text/event-stream");
		SseEvent started = call.next();
		call.cut();
		EventStream resumed = client.resume(started.id());
		assertThat(resumed.status()).isEqualTo(200);
		member.release();
		List<SseEvent> rest = resumed.rest();

		assertThat(describe(started)).as("before 2025-11-25, no priming event").isEqualTo("progress started");
		assertThat(rest).extracting(StreamResumptionIntegrationTests::describe)
			.containsExactly("progress resumed", "progress finishing", "result " + LongCallMember.RESULT);
		assertThat(idsOf(started, rest)).containsExactly(streamOf(started) + ":1", streamOf(started) + ":2",
				streamOf(started) + ":3", streamOf(started) + ":4");
		assertThat(podThatServed("POST", "long-work")).as("the call and its resumption ran on different pods")
			.isNotEqualTo(podThatServed("GET", ""));
	}

	@Test
	void a20251125StreamIsPrimedClosedForPollingAndPolledToItsResultWithEveryEventOnce() {
		ResumingClient client = new ResumingClient(pods.mcpUrl());
		client.initialize("2025-11-25");
		member.hold();

		List<SseEvent> beforeClosing = client.call(8, LongCallMember.TOOL).rest();
		member.release();
		SseEvent priming = beforeClosing.getFirst();
		List<SseEvent> received = new ArrayList<>(beforeClosing.subList(1, beforeClosing.size()));
		assertThat(received).as("the connection closed while the call waited")
			.noneMatch((event) -> describe(event).startsWith("result"));
		int polls = 0;
		while (received.isEmpty() || !describe(received.getLast()).startsWith("result")) {
			assertThat(polls++).as("polls").isLessThan(40);
			EventStream poll = client.resume(received.isEmpty() ? priming.id() : received.getLast().id());
			assertThat(poll.status()).isEqualTo(200);
			received.addAll(poll.rest());
		}

		String stream = streamOf(priming);
		assertThat(priming.id()).isEqualTo(stream + ":0");
		assertThat(priming.data()).isEmpty();
		assertThat(priming.retry()).isEqualTo(1000L);
		assertThat(received).extracting(StreamResumptionIntegrationTests::describe)
			.containsExactly("progress started", "progress resumed", "progress finishing",
					"result " + LongCallMember.RESULT);
		assertThat(received).extracting(SseEvent::id)
			.containsExactly(stream + ":1", stream + ":2", stream + ":3", stream + ":4");
	}

	@Test
	void aFinishedCallIsReplayedToItsEndAndAnotherSessionsOrAForeignIdIsRefused() {
		ResumingClient owner = new ResumingClient(pods.mcpUrl());
		owner.initialize("2025-06-18");
		List<SseEvent> answered = owner.call(9, LongCallMember.TOOL).rest();
		ResumingClient stranger = new ResumingClient(pods.mcpUrl());
		stranger.initialize("2025-06-18");

		EventStream replay = owner.resume(answered.getFirst().id());
		EventStream ofAnotherSession = stranger.resume(answered.getFirst().id());
		EventStream foreign = owner.resume("not-an-event-id");

		assertThat(replay.rest()).isEqualTo(answered.subList(1, answered.size()));
		assertThat(ofAnotherSession.status()).isEqualTo(400);
		assertThat(error(ofAnotherSession)).contains("Last-Event-ID names no stream of this session");
		assertThat(foreign.status()).isEqualTo(400);
		assertThat(error(foreign)).contains("Last-Event-ID is not the id of an event of this gateway");
	}

	@Test
	void aResumedStandaloneStreamReplaysWhatItMissedThenGoesOnOnTheOtherPod() {
		ResumingClient client = new ResumingClient(pods.mcpUrl());
		client.initialize("2025-11-25");
		ReadAhead first = client.listen().readAhead();
		SseEvent priming = first.poll(Duration.ofSeconds(10));
		SseEvent changed = listChangeOn(first);
		TestPod firstPod = lastGetServedBy();

		ReadAhead resumed = client.resume(priming.id()).readAhead();
		SseEvent resumedPriming = resumed.poll(Duration.ofSeconds(10));
		SseEvent replayed = resumed.poll(Duration.ofSeconds(10));
		TestPod secondPod = lastGetServedBy();
		List<SseEvent> firstAfterChange = first.untilEnd(Duration.ofSeconds(15));
		List<SseEvent> replayedAfterChange = new ArrayList<>();
		for (int more = 0; more < firstAfterChange.size(); more++) {
			replayedAfterChange.add(resumed.poll(Duration.ofSeconds(10)));
		}
		SseEvent live = listChangeOn(resumed);

		String stream = streamOf(priming);
		assertThat(secondPod).isNotSameAs(firstPod);
		assertThat(priming.id()).isEqualTo(stream + ":0");
		assertThat(priming.retry()).isEqualTo(1000L);
		assertThat(changed.id()).isEqualTo(stream + ":1");
		assertThat(streamOf(resumedPriming)).isNotEqualTo(stream);
		assertThat(resumedPriming.id()).endsWith(":0");
		assertThat(replayed).as("what the first stream got, replayed").isEqualTo(changed);
		assertThat(replayedAfterChange).isEqualTo(firstAfterChange);
		assertThat(streamOf(live)).isEqualTo(streamOf(resumedPriming));
	}

	@Test
	void a20260728RequestsStreamHasNoEventIdsAndNothingIsKeptForIt() {
		Set<String> keptBefore = keptStreams();

		HttpResponse<String> answer = new StatelessClient(pods.mcpUrl())
			.send(StatelessClient.request(1, "tools/call", "{\"name\":\"" + LongCallMember.TOOL
					+ "\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p-2026\"}}"));

		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		assertThat(answer.body()).contains("finishing").contains(LongCallMember.RESULT);
		assertThat(answer.body().lines()).noneMatch((line) -> line.startsWith("id:") || line.startsWith("retry:"));
		assertThat(keptStreams()).isSubsetOf(keptBefore);
	}

	private static TestPod lastGetServedBy() {
		int port = podThatServed("GET", "");
		return (port == pods.first().port()) ? pods.first() : pods.second();
	}

	/**
	 * A list change of member {@code lister} on a standalone stream: announced again
	 * until one arrives, since the member's own stream opens in the background.
	 */
	private static SseEvent listChangeOn(ReadAhead stream) {
		AtomicReference<SseEvent> change = new AtomicReference<>();
		AtomicInteger added = new AtomicInteger();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			lister.addTool("added-" + added.incrementAndGet());
			change.set(stream.poll(Duration.ofMillis(500)));
			return change.get() != null;
		});
		assertThat(describe(change.get())).contains("notifications/tools/list_changed");
		return change.get();
	}

	private static Set<String> keptStreams() {
		String keys = RedisCli.command(redis.port(), "KEYS", "vmcp:session:events:*");
		return Set.of(keys.isBlank() ? new String[0] : keys.strip().split("\\s+"));
	}

	/** What an event carries: a progress message, a result's text, or an error. */
	static String describe(SseEvent event) {
		JsonNode message = JSON.readTree(event.data());
		if (message.has("result")) {
			return "result " + message.path("result").path("content").path(0).path("text").asString();
		}
		if (message.path("method").asString("").equals("notifications/progress")) {
			return "progress " + message.path("params").path("message").asString();
		}
		return message.toString();
	}

	static String streamOf(SseEvent event) {
		return event.id().substring(0, event.id().indexOf(':'));
	}

	private static List<String> idsOf(SseEvent first, List<SseEvent> rest) {
		List<String> ids = new ArrayList<>(List.of(first.id()));
		rest.forEach((event) -> ids.add(event.id()));
		return ids;
	}

	private static String error(EventStream refused) {
		return JSON.readTree(refused.body()).path("error").path("message").asString();
	}

	private static int podThatServed(String method, String bodyPart) {
		return pods.balancer()
			.forwarded()
			.stream()
			.filter((forwarded) -> forwarded.httpMethod().equals(method) && forwarded.body().contains(bodyPart))
			.map(Forwarded::podPort)
			.reduce((first, second) -> second)
			.orElseThrow();
	}

}
