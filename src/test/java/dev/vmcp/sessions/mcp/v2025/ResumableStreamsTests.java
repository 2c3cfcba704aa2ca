package dev.vmcp.sessions.mcp.v2025;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;

import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.StreamEvents;
import dev.vmcp.sessions.session.EventLog;
import dev.vmcp.sessions.session.MemoryEventLog;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionMetrics;
import dev.vmcp.sessions.session.StreamEvent;
import dev.vmcp.sessions.session.TimedCalls;
import dev.vmcp.sessions.session.TimedEventLog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class ResumableStreamsTests {

	private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();

	private final MemoryEventLog memory = new MemoryEventLog(Duration.ofMinutes(5), 100, Clock.systemUTC());

	private final McpSignals signals = mock(McpSignals.class);

	private final SessionId session = SessionId.generate();

	private ResumableStreams streams = streams(this.memory, Duration.ZERO);

	@AfterEach
	void stop() {
		this.streams.close();
		this.deadlines.shutdownNow();
	}

	@Test
	void a20251125StreamOpensWithAKeptPrimingEventThatTellsTheClientWhenToReconnect() {
		StreamEvents events = this.streams.forRequest(this.session, "2025-11-25");

		String opening = events.opening();

		String stream = opening.substring("id: ".length(), opening.indexOf(':', "id: ".length()));
		assertThat(opening).isEqualTo("id: " + stream + ":0\nretry: 1000\ndata: \n\n");
		assertThat(kept(stream, -1)).containsExactly(new StreamEvent(0, "", false));
	}

	@Test
	void anOlderRevisionsStreamHasNoPrimingButItsEventsHaveIdsAndAreKeptBeforeTheyAreSent() {
		StreamEvents events = this.streams.forRequest(this.session, "2025-06-18");

		String opening = events.opening();
		String first = events.event("{\"a\":1}", false);
		String second = events.event("{\"b\":2}", true);

		assertThat(opening).isEmpty();
		String stream = first.substring("id: ".length(), first.indexOf(':', "id: ".length()));
		assertThat(first).isEqualTo("id: " + stream + ":1\nevent: message\ndata: {\"a\":1}\n\n");
		assertThat(second).startsWith("id: " + stream + ":2\n");
		assertThat(kept(stream, 0)).containsExactly(new StreamEvent(1, "{\"a\":1}", false),
				new StreamEvent(2, "{\"b\":2}", true));
		assertThat(events.resumable()).isTrue();
	}

	@Test
	void eachStreamHasANameOfItsOwn() {
		String first = this.streams.forRequest(this.session, "2025-06-18").event("{}", false);
		String second = this.streams.forRequest(this.session, "2025-06-18").event("{}", false);

		assertThat(first.lines().findFirst()).isNotEqualTo(second.lines().findFirst());
	}

	@Test
	void a20251125RequestStreamHasItsConnectionClosedAfterThePollInterval() throws InterruptedException {
		this.streams.close();
		this.streams = streams(this.memory, Duration.ofMillis(20));
		StreamEvents events = this.streams.forRequest(this.session, "2025-11-25");
		CountDownLatch closed = new CountDownLatch(1);

		events.opening();
		events.opened(closed::countDown);

		assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void onlyAStreamWhoseConnectionClosedWakesThePodsThatMayRelayItsResumption() {
		StreamEvents events = this.streams.forRequest(this.session, "2025-06-18");

		events.event("{}", false);
		verify(this.signals, never()).streamAdvanced(any(), anyString());
		events.connectionClosed();
		events.event("{}", false);
		events.event("{}", true);

		verify(this.signals, times(2)).streamAdvanced(any(), anyString());
	}

	@Test
	void anEventTheLogCannotKeepIsSentAllTheSame() {
		EventLog unavailable = new EventLog() {
			@Override
			public CompletableFuture<Void> append(SessionId session, String stream, StreamEvent event) {
				return CompletableFuture.failedFuture(new QueryTimeoutException("Redis is away"));
			}

			@Override
			public CompletableFuture<java.util.Optional<List<StreamEvent>>> after(SessionId session, String stream,
					long sequence) {
				return CompletableFuture.failedFuture(new QueryTimeoutException("Redis is away"));
			}
		};
		this.streams.close();
		this.streams = streams(unavailable, Duration.ZERO);
		StreamEvents events = this.streams.forRequest(this.session, "2025-11-25");

		assertThat(events.opening()).contains(":0\nretry: 1000\n");
		assertThat(events.event("{\"a\":1}", true)).contains(":1\nevent: message\ndata: {\"a\":1}\n\n");
	}

	private ResumableStreams streams(EventLog log, Duration pollInterval) {
		TimedEventLog timed = new TimedEventLog(log, TimeLimiter.of(Duration.ofSeconds(2)),
				new TimedCalls(this.deadlines, new SessionMetrics(new SimpleMeterRegistry())));
		return new ResumableStreams(timed, this.signals, Duration.ofSeconds(1), pollInterval);
	}

	private List<StreamEvent> kept(String stream, long after) {
		return this.memory.after(this.session, stream, after).toCompletableFuture().join().orElseThrow();
	}

}
