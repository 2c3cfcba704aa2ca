package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.backend.BackendConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The live-session cache: what it closes, when, and on which thread.
 */
class LiveSessionCacheTests {

	private static final Duration IDLE_TTL = Duration.ofMinutes(30);

	private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

	private final HeldExecutor closer = new HeldExecutor();

	private final ManualTicker ticker = new ManualTicker();

	private final RecordedEvictions evictions = new RecordedEvictions();

	private final LiveSessionCache cache = new LiveSessionCache(2, IDLE_TTL, this.closer, this.ticker,
			Scheduler.disabledScheduler(), this.evictions, new SessionMetrics(new SimpleMeterRegistry()));

	@Test
	@DisplayName("race 3: a restore that meets a concurrently created session returns it and closes the loser")
	void restoreThatMeetsAConcurrentlyCreatedSessionReturnsItAndClosesTheLoser() throws Exception {
		SessionId id = SessionId.generate();
		LiveSession created = liveSession(id);
		LiveSession restored = liveSession(id);
		CountDownLatch restoring = new CountDownLatch(1);
		CountDownLatch createdStored = new CountDownLatch(1);
		CompletableFuture<LiveSession> restore = CompletableFuture
			.supplyAsync(() -> this.cache.getOrRestore(recordOf(id), () -> {
				restoring.countDown();
				awaitLatch(createdStored);
				return restored;
			}));
		restoring.await(5, TimeUnit.SECONDS);
		assertThat(this.cache.putIfAbsent(created)).isSameAs(created);
		createdStored.countDown();
		assertThat(restore.get(5, TimeUnit.SECONDS)).isSameAs(created);
		this.closer.runAll();
		assertThat(restored.isClosed()).isTrue();
		assertThat(created.isClosed()).isFalse();
		assertThat(this.cache.find(id)).containsSame(created);
	}

	@Test
	void concurrentMissesShareOneRestore() throws Exception {
		SessionId id = SessionId.generate();
		AtomicInteger restores = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		List<CompletableFuture<LiveSession>> callers = IntStream.range(0, 4)
			.mapToObj((i) -> CompletableFuture.supplyAsync(() -> this.cache.getOrRestore(recordOf(id), () -> {
				restores.incrementAndGet();
				awaitLatch(release);
				return liveSession(id);
			})))
			.toList();
		await().atMost(Duration.ofSeconds(5)).until(() -> restores.get() == 1);
		release.countDown();
		LiveSession first = callers.get(0).get(5, TimeUnit.SECONDS);
		for (CompletableFuture<LiveSession> caller : callers) {
			assertThat(caller.get(5, TimeUnit.SECONDS)).isSameAs(first);
		}
		assertThat(restores).hasValue(1);
	}

	@Test
	void aRestoreInvalidatedWhileInFlightIsClosedNotCached() throws Exception {
		SessionId id = SessionId.generate();
		LiveSession restored = liveSession(id);
		CountDownLatch restoring = new CountDownLatch(1);
		CountDownLatch invalidated = new CountDownLatch(1);
		CompletableFuture<LiveSession> restore = CompletableFuture
			.supplyAsync(() -> this.cache.getOrRestore(recordOf(id), () -> {
				restoring.countDown();
				awaitLatch(invalidated);
				return restored;
			}));
		restoring.await(5, TimeUnit.SECONDS);
		this.cache.invalidate(id);
		invalidated.countDown();
		assertThat(restore).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(SessionNotFoundException.class);
		this.closer.runAll();
		assertThat(restored.isClosed()).isTrue();
		assertThat(this.cache.find(id)).isEmpty();
	}

	@Test
	@DisplayName("race 6: closing happens outside the cache's locks, so a slow close stalls no one")
	void slowCloseDoesNotStallOtherCacheOperations() {
		LiveSession dropped = liveSession(SessionId.generate());
		this.cache.put(dropped);
		this.cache.invalidate(dropped.id());
		// The close is queued on the closer, which the test holds back: a close run
		// inline
		// under a lock would already have happened, or would block the calls below.
		assertThat(dropped.isClosed()).isFalse();
		LiveSession other = liveSession(SessionId.generate());
		this.cache.put(other);
		assertThat(this.cache.find(other.id())).containsSame(other);
		assertThat(this.cache.find(dropped.id())).isEmpty();
		this.closer.runAll();
		assertThat(dropped.isClosed()).isTrue();
	}

	@Test
	@DisplayName("race 7: replacing an entry closes the value it replaces")
	void replacingAnEntryClosesTheOldValue() {
		SessionId id = SessionId.generate();
		LiveSession old = liveSession(id);
		LiveSession replacement = liveSession(id);
		this.cache.put(old);
		this.cache.put(replacement);
		this.closer.runAll();
		assertThat(old.isClosed()).isTrue();
		assertThat(old.connections()).allMatch(BackendConnection::isClosed);
		assertThat(replacement.isClosed()).isFalse();
	}

	@Test
	void capacityIsHeldAndEvictedSessionsAreClosed() {
		List<LiveSession> sessions = IntStream.range(0, 10).mapToObj((i) -> liveSession(SessionId.generate())).toList();
		sessions.forEach(this.cache::put);
		this.cache.cleanUp();
		this.closer.runAll();
		assertThat(this.cache.size()).isLessThanOrEqualTo(2);
		assertThat(sessions.stream().filter(LiveSession::isClosed).count()).isGreaterThanOrEqualTo(8);
	}

	@Test
	void anIdleEntryIsClosedAndHandedToTheEvictionsAsExpired() {
		LiveSession idle = liveSession(SessionId.generate());
		this.cache.put(idle);
		this.ticker.advance(IDLE_TTL.plusSeconds(1));
		this.cache.cleanUp();
		this.closer.runAll();
		assertThat(this.cache.find(idle.id())).isEmpty();
		assertThat(idle.isClosed()).isTrue();
		assertThat(this.evictions.evicted).containsExactly(Map.entry(idle, RemovalCause.EXPIRED));
	}

	@Test
	void anEntryEvictedForCapacityIsClosedAndHandedToTheEvictions() {
		List<LiveSession> sessions = IntStream.range(0, 3).mapToObj((i) -> liveSession(SessionId.generate())).toList();
		sessions.forEach(this.cache::put);
		this.cache.cleanUp();
		this.closer.runAll();
		assertThat(this.evictions.evicted).hasSize(1).allSatisfy((evicted) -> {
			assertThat(evicted.getValue()).isEqualTo(RemovalCause.SIZE);
			assertThat(evicted.getKey().isClosed()).isTrue();
		});
	}

	@Test
	void invalidatedAndReplacedEntriesAreClosedButNotHandedToTheEvictions() {
		LiveSession invalidated = liveSession(SessionId.generate());
		LiveSession replaced = liveSession(SessionId.generate());
		this.cache.put(invalidated);
		this.cache.put(replaced);
		this.cache.invalidate(invalidated.id());
		this.cache.put(liveSession(replaced.id()));
		this.cache.invalidateAll();
		this.closer.runAll();
		assertThat(invalidated.isClosed()).isTrue();
		assertThat(replaced.isClosed()).isTrue();
		assertThat(this.evictions.evicted).isEmpty();
	}

	@Test
	void theEvictionsLearnWhenASessionIsCachedAgain() {
		SessionId id = SessionId.generate();
		this.cache.putIfAbsent(liveSession(id));
		SessionId restored = SessionId.generate();
		this.cache.getOrRestore(recordOf(restored), () -> liveSession(restored));
		assertThat(this.evictions.cached).containsExactly(id, restored);
		this.cache.putIfAbsent(liveSession(id));
		assertThat(this.evictions.cached).as("a loser of putIfAbsent is not cached").hasSize(2);
	}

	@Test
	@DisplayName("a derived id used again: the live session of the session that ended gives way to the new one's")
	void aLiveSessionOfAnEarlierSessionOfTheIdGivesWayToTheLaterOne() {
		SessionId id = SessionId.generate();
		LiveSession ended = liveSession(recordOf(id, CREATED));
		this.cache.putIfAbsent(ended);
		SessionRecord later = recordOf(id, CREATED.plus(IDLE_TTL));

		LiveSession restored = this.cache.getOrRestore(later, () -> liveSession(later));
		this.closer.runAll();

		assertThat(restored).isNotSameAs(ended);
		assertThat(restored.incarnation()).isEqualTo(later.incarnation());
		assertThat(this.cache.find(id)).containsSame(restored);
		assertThat(ended.isClosed()).isTrue();
		assertThat(this.evictions.superseded).containsExactly(ended);
		assertThat(this.evictions.evicted).isEmpty();
		// A record of the session that ended, read just before it did, gets the later
		// one.
		assertThat(this.cache.getOrRestore(recordOf(id, CREATED), () -> liveSession(id))).isSameAs(restored);
		// And the live session of the ended one never replaces it.
		assertThat(this.cache.putIfAbsent(liveSession(recordOf(id, CREATED)))).isSameAs(restored);
		assertThat(this.evictions.superseded).containsExactly(ended);
	}

	@Test
	void aMissThatMeetsTheRestoreOfAnEarlierSessionOfTheIdRestoresItsOwnOnceThatIsDone() throws Exception {
		SessionId id = SessionId.generate();
		SessionRecord ended = recordOf(id, CREATED);
		SessionRecord later = recordOf(id, CREATED.plus(IDLE_TTL));
		LiveSession endedLive = liveSession(ended);
		CountDownLatch restoringEnded = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		// A request that read the ended session's record just before it expired.
		CompletableFuture<LiveSession> first = CompletableFuture
			.supplyAsync(() -> this.cache.getOrRestore(ended, () -> {
				restoringEnded.countDown();
				awaitLatch(release);
				return endedLive;
			}));
		restoringEnded.await(5, TimeUnit.SECONDS);
		CompletableFuture<LiveSession> second = CompletableFuture
			.supplyAsync(() -> this.cache.getOrRestore(later, () -> liveSession(later)));
		release.countDown();

		assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(endedLive);
		LiveSession laterLive = second.get(5, TimeUnit.SECONDS);
		this.closer.runAll();
		assertThat(laterLive.incarnation()).isEqualTo(later.incarnation());
		assertThat(this.cache.find(id)).containsSame(laterLive);
		assertThat(this.evictions.superseded).containsExactly(endedLive);
	}

	@Test
	void idleEntriesLeaveOnTimeWithoutAnyFurtherUseOfTheCache() {
		RecordedEvictions recorded = new RecordedEvictions();
		LiveSessionCache scheduled = new LiveSessionCache(10, Duration.ofMillis(200), Runnable::run,
				Ticker.systemTicker(), Scheduler.systemScheduler(), recorded,
				new SessionMetrics(new SimpleMeterRegistry()));
		LiveSession idle = liveSession(SessionId.generate());
		scheduled.put(idle);
		assertThat(scheduled.size()).isEqualTo(1);
		// Nothing reads or writes the cache from here on: only its scheduler can drop the
		// entry.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(scheduled.size()).isZero();
			assertThat(recorded.evicted).containsExactly(Map.entry(idle, RemovalCause.EXPIRED));
		});
		assertThat(idle.isClosed()).isTrue();
	}

	private static LiveSession liveSession(SessionId id) {
		return liveSession(recordOf(id));
	}

	private static LiveSession liveSession(SessionRecord record) {
		LiveSession live = new LiveSession(record);
		live.attach(new BackendConnection("alpha", "backend-" + record.id().value() + "-" + record.incarnation(),
				Instant.now()));
		return live;
	}

	/** The record of the session {@code id} created at {@link #CREATED}. */
	private static SessionRecord recordOf(SessionId id) {
		return recordOf(id, CREATED);
	}

	private static SessionRecord recordOf(SessionId id, Instant createdAt) {
		return SessionRecord.pending(id, createdAt, createdAt.plus(Duration.ofHours(1)), "anonymous", List.of("alpha"),
				Map.of());
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** What the cache handed over, in order. */
	private static final class RecordedEvictions implements Evictions {

		final List<Map.Entry<LiveSession, RemovalCause>> evicted = new CopyOnWriteArrayList<>();

		final List<SessionId> cached = new CopyOnWriteArrayList<>();

		final List<LiveSession> superseded = new CopyOnWriteArrayList<>();

		@Override
		public void evicted(LiveSession live, RemovalCause cause) {
			this.evicted.add(Map.entry(live, cause));
		}

		@Override
		public void cached(LiveSession live) {
			this.cached.add(live.id());
		}

		@Override
		public void superseded(LiveSession stale) {
			this.superseded.add(stale);
		}

	}

	/** Time that moves only when the test says so. */
	private static final class ManualTicker implements Ticker {

		private final AtomicLong nanos = new AtomicLong();

		void advance(Duration duration) {
			this.nanos.addAndGet(duration.toNanos());
		}

		@Override
		public long read() {
			return this.nanos.get();
		}

	}

	/** An executor that runs nothing until the test says so. */
	private static final class HeldExecutor implements Executor {

		private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				task.run();
			}
		}

	}

}
