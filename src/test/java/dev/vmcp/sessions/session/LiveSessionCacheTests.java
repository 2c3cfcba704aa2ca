package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

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

	private final HeldExecutor closer = new HeldExecutor();

	private final LiveSessionCache cache = new LiveSessionCache(2, Duration.ofMinutes(30), this.closer,
			Ticker.systemTicker(), new SessionMetrics(new SimpleMeterRegistry()));

	@Test
	@DisplayName("race 3: a restore that meets a concurrently created session returns it and closes the loser")
	void restoreThatMeetsAConcurrentlyCreatedSessionReturnsItAndClosesTheLoser() throws Exception {
		SessionId id = SessionId.generate();
		LiveSession created = liveSession(id);
		LiveSession restored = liveSession(id);
		CountDownLatch restoring = new CountDownLatch(1);
		CountDownLatch createdStored = new CountDownLatch(1);
		CompletableFuture<LiveSession> restore = CompletableFuture.supplyAsync(() -> this.cache.getOrRestore(id, () -> {
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
			.mapToObj((i) -> CompletableFuture.supplyAsync(() -> this.cache.getOrRestore(id, () -> {
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
		CompletableFuture<LiveSession> restore = CompletableFuture.supplyAsync(() -> this.cache.getOrRestore(id, () -> {
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

	private static LiveSession liveSession(SessionId id) {
		LiveSession live = new LiveSession(id);
		live.attach(new BackendConnection("alpha", "backend-" + id.value(), Instant.now()));
		return live;
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
