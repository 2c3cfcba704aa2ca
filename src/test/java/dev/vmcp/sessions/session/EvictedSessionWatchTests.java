package dev.vmcp.sessions.session;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendConnector;
import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.ClientProfile;
import dev.vmcp.sessions.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What becomes of the backend sessions of a session this pod evicted, decided by reading
 * its record in a real (memory) store; time is moved by hand.
 */
class EvictedSessionWatchTests {

	private static final Duration IDLE_TTL = Duration.ofMinutes(30);

	private static final Caller OWNER = Caller.anonymous();

	private final MutableClock clock = MutableClock.startingNow();

	private final MemorySessionStore records = new MemorySessionStore(
			new SessionTtl(IDLE_TTL, Duration.ofMinutes(10), this.clock));

	private final CountingStore store = new CountingStore(this.records);

	private final RecordingConnector backends = new RecordingConnector();

	private final ManualScheduler scheduler = new ManualScheduler();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final EvictedSessionWatch watch = watch(100);

	@Test
	void anIdleSessionWhoseRecordExpiredHasItsBackendSessionsEnded() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1"), "beta", hint("b-1")));
		this.clock.advance(IDLE_TTL.plusSeconds(1));
		this.watch.evicted(liveHolding(record, "a-1", "b-1"), RemovalCause.EXPIRED);
		assertThat(this.backends.ended).containsExactlyInAnyOrder("alpha/a-1", "beta/b-1");
		assertThat(checks("ended")).isEqualTo(1);
		assertThat(this.watch.size()).isZero();
	}

	@Test
	void theBackendSessionsEndedAreThoseHeldHereAndThoseTheRecordLastNamed() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		LiveSession live = new LiveSession(record);
		live.attach(new BackendConnection("beta", "b-held", this.clock.instant()));
		this.clock.advance(IDLE_TTL.plusSeconds(1));
		this.watch.evicted(live, RemovalCause.EXPIRED);
		assertThat(this.backends.ended).containsExactlyInAnyOrder("alpha/a-1", "beta/b-held");
	}

	@Test
	void anIdleSessionInUseOnAnotherPodKeepsItsBackendSessionsAndItsTtl() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.clock.advance(Duration.ofMinutes(10));
		useOnAnotherPod(record.id());
		Instant usedElsewhere = this.clock.instant();
		this.clock.advance(Duration.ofMinutes(20));
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.EXPIRED);
		assertThat(this.backends.ended).isEmpty();
		assertThat(checks("live")).isEqualTo(1);
		assertThat(lastAccess(record.id())).as("the watch's read is not a use").isEqualTo(usedElsewhere);
		assertThat(this.scheduler.delays())
			.containsExactly(Duration.ofMinutes(10).plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.clock.advance(Duration.ofMinutes(10));
		this.scheduler.runDue();
		assertThat(this.backends.ended).as("a read at the record's expiry, not before its margin").isEmpty();
		this.clock.advance(EvictedSessionWatch.RECHECK_MARGIN);
		this.scheduler.runDue();
		assertThat(this.backends.ended).containsExactly("alpha/a-1");
	}

	@Test
	void theLastPodFindingTheRecordLiveAMomentBeforeItExpiresEndsItRightAfter() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.clock.advance(IDLE_TTL.minusMillis(5));
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.EXPIRED);
		assertThat(this.backends.ended).isEmpty();
		assertThat(this.scheduler.delays())
			.containsExactly(Duration.ofMillis(5).plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.clock.advance(Duration.ofMillis(5).plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.scheduler.runDue();
		assertThat(this.backends.ended).containsExactly("alpha/a-1");
	}

	@Test
	void aSessionUsedAgainBeforeItsRecordExpiredIsWatchedUntilItsNewExpiry() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.clock.advance(IDLE_TTL.minusMinutes(1));
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.EXPIRED);
		this.clock.advance(Duration.ofSeconds(30));
		useOnAnotherPod(record.id());
		this.clock.advance(Duration.ofSeconds(30).plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.scheduler.runDue();
		assertThat(this.backends.ended).isEmpty();
		// Used 30 s after the eviction, read again 30 s and a margin later: what is left
		// of
		// its new TTL, and the margin.
		Duration leftOfItsNewTtl = IDLE_TTL.minusSeconds(30).minus(EvictedSessionWatch.RECHECK_MARGIN);
		assertThat(this.scheduler.delays()).last().isEqualTo(leftOfItsNewTtl.plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.clock.advance(IDLE_TTL);
		this.scheduler.runDue();
		assertThat(this.backends.ended).containsExactly("alpha/a-1");
	}

	@Test
	void theBackendSessionsEndedFollowTheRecordWhenAnotherPodMovedABackendOn() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.clock.advance(IDLE_TTL.minusMinutes(1));
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.EXPIRED);
		SessionRecord current = ((LoadResult.Found) this.records.load(record.id())).record();
		assertThat(this.records.update(current.withHints(Map.of("alpha", hint("a-2"))).successor(this.clock.instant()),
				current.version()))
			.isEqualTo(UpdateOutcome.UPDATED);
		this.clock.advance(Duration.ofMinutes(1).plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.scheduler.runDue();
		this.clock.advance(IDLE_TTL.plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.scheduler.runDue();
		assertThat(this.backends.ended).containsExactly("alpha/a-2");
	}

	@Test
	void aSessionBackInThisPodsCacheIsNoLongerWatched() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.clock.advance(IDLE_TTL.minusMinutes(1));
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.EXPIRED);
		assertThat(this.watch.size()).isEqualTo(1);
		this.watch.cached(new LiveSession(record));
		assertThat(this.watch.size()).isZero();
		assertThat(this.scheduler.tasks).allMatch(Future::isCancelled);
		this.clock.advance(IDLE_TTL);
		int loads = this.store.loads.get();
		this.scheduler.runDue();
		assertThat(this.store.loads).hasValue(loads);
		assertThat(this.backends.ended).isEmpty();
	}

	@Test
	void aTerminatedRecordHasTheBackendSessionsHeldHereEnded() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.records.terminate(record.id(), OWNER.owner());
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.EXPIRED);
		assertThat(this.backends.ended).containsExactly("alpha/a-1");
	}

	@Test
	void aCapacityEvictionReadsTheRecordOnlyOnceItWouldHaveExpired() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.SIZE);
		assertThat(this.store.loads).hasValue(0);
		assertThat(this.scheduler.delays()).containsExactly(IDLE_TTL.plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.clock.advance(IDLE_TTL.plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.scheduler.runDue();
		assertThat(this.backends.ended).containsExactly("alpha/a-1");
	}

	@Test
	void aStoreFailureLeavesTheBackendSessionsToTheBackendsAndIsCounted() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.clock.advance(IDLE_TTL.plusSeconds(1));
		this.store.failing = true;
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.EXPIRED);
		assertThat(this.backends.ended).isEmpty();
		assertThat(checks("failed")).isEqualTo(1);
		assertThat(this.watch.size()).isZero();
		assertThat(this.scheduler.tasks).isEmpty();
	}

	@Test
	void beyondItsBoundTheWatchLeavesEvictedSessionsToTheBackends() {
		EvictedSessionWatch small = watch(1);
		SessionRecord first = storeRecord(Map.of("alpha", hint("a-1")));
		SessionRecord second = storeRecord(Map.of("alpha", hint("a-2")));
		small.evicted(liveHolding(first, "a-1"), RemovalCause.SIZE);
		small.evicted(liveHolding(second, "a-2"), RemovalCause.SIZE);
		assertThat(small.size()).isEqualTo(1);
		assertThat(checks("unwatched")).isEqualTo(1);
		this.clock.advance(IDLE_TTL.plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.scheduler.runDue();
		assertThat(this.backends.ended).containsExactly("alpha/a-1");
	}

	@Test
	void aStoppedWatchReadsNothingMore() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.SIZE);
		this.watch.stop();
		this.clock.advance(IDLE_TTL.plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.scheduler.runDue();
		this.watch.evicted(liveHolding(storeRecord(Map.of()), "a-2"), RemovalCause.EXPIRED);
		assertThat(this.store.loads).hasValue(0);
		assertThat(this.backends.ended).isEmpty();
	}

	@Test
	void aSessionHandedOverByAPodThatStoppedIsWatchedUntilItsRecordEnds() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1"), "beta", hint("b-1")));
		this.clock.advance(Duration.ofMinutes(5));
		this.watch.adopt(record.id(), new HandedOverSession(record.incarnation(), Map.of("alpha", "a-1")));
		assertThat(checks("live")).isEqualTo(1);
		assertThat(this.watch.ids()).containsExactly(record.id());
		assertThat(this.scheduler.delays())
			.containsExactly(Duration.ofMinutes(25).plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.clock.advance(Duration.ofMinutes(25).plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.scheduler.runDue();
		assertThat(this.backends.ended).containsExactlyInAnyOrder("alpha/a-1", "beta/b-1");
	}

	@Test
	void aSessionHandedOverThatIsWatchedAlreadyKeepsItsWatch() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.SIZE);
		this.watch.adopt(record.id(), new HandedOverSession(record.incarnation(), Map.of("alpha", "a-1")));
		assertThat(this.store.loads).hasValue(0);
		assertThat(this.scheduler.tasks).hasSize(1).noneMatch(Future::isCancelled);
	}

	@Test
	void aSessionHandedOverWhoseRecordIsGoneEndsTheBackendSessionsTheStoppingPodNamed() {
		// Its record expired a moment before the cache entry of the pod that used it
		// last,
		// and that pod stopped in between.
		SessionId expired = SessionId.generate();
		this.watch.adopt(expired,
				new HandedOverSession(this.clock.instant().toEpochMilli(), Map.of("alpha", "a-1", "beta", "b-1")));
		assertThat(checks("ended")).isEqualTo(1);
		assertThat(this.backends.ended).containsExactlyInAnyOrder("alpha/a-1", "beta/b-1");
		assertThat(this.watch.size()).isZero();
	}

	@Test
	void aStoppingPodHandsOverWhatItHoldsAndWatchesWithTheirBackendSessionsAndWatchesNoMore() {
		SessionRecord watchedRecord = storeRecord(Map.of("alpha", hint("a-1")));
		this.watch.evicted(liveHolding(watchedRecord, "a-1", "b-held"), RemovalCause.SIZE);
		SessionRecord heldRecord = storeRecord(Map.of("alpha", hint("a-2"), "beta", hint("b-2")));
		LiveSession held = new LiveSession(heldRecord);
		held.attach(new BackendConnection("alpha", "a-2", this.clock.instant()));

		Map<SessionId, HandedOverSession> handedOver = this.watch.handOver(List.of(held));

		assertThat(handedOver).containsOnlyKeys(watchedRecord.id(), heldRecord.id());
		assertThat(handedOver.get(watchedRecord.id()).incarnation()).isEqualTo(watchedRecord.incarnation());
		assertThat(handedOver.get(watchedRecord.id()).backendSessions()).containsOnly(Map.entry("alpha", "a-1"),
				Map.entry("beta", "b-held"));
		assertThat(handedOver.get(heldRecord.id()).backendSessions()).containsOnly(Map.entry("alpha", "a-2"),
				Map.entry("beta", "b-2"));
		assertThat(this.watch.size()).isZero();
		assertThat(this.scheduler.tasks).allMatch(Future::isCancelled);
		this.watch.adopt(heldRecord.id(), handedOver.get(heldRecord.id()));
		assertThat(this.store.loads).hasValue(0);
	}

	@Test
	@DisplayName("a derived id used again: a watch ends its session's backend sessions when it finds a later session's record")
	void aWatchFindingALaterSessionOfItsIdEndsTheBackendSessionsOfTheOneWatched() {
		SessionRecord ended = storeRecord(Map.of("alpha", hint("a-1")));
		this.watch.evicted(liveHolding(ended, "a-1"), RemovalCause.SIZE);
		this.clock.advance(IDLE_TTL.plusSeconds(1));
		SessionRecord later = recreate(ended.id(), Map.of("alpha", hint("a-2")));
		assertThat(later.incarnation()).isGreaterThan(ended.incarnation());

		this.scheduler.runDue();

		assertThat(this.backends.ended).containsExactly("alpha/a-1");
		assertThat(this.watch.size()).isZero();
	}

	@Test
	void aLaterSessionOfAWatchedIdCachedHereEndsTheBackendSessionsOfTheOneWatched() {
		SessionRecord ended = storeRecord(Map.of("alpha", hint("a-1")));
		this.watch.evicted(liveHolding(ended, "a-1"), RemovalCause.SIZE);
		this.clock.advance(IDLE_TTL.plusSeconds(1));
		SessionRecord later = recreate(ended.id(), Map.of("alpha", hint("a-2")));

		this.watch.cached(new LiveSession(later));

		assertThat(this.backends.ended).containsExactly("alpha/a-1");
		assertThat(this.watch.size()).isZero();
		assertThat(this.scheduler.tasks).allMatch(Future::isCancelled);
	}

	@Test
	void aLiveSessionSupersededByALaterSessionOfItsIdHasItsBackendSessionsEnded() {
		SessionRecord ended = storeRecord(Map.of("alpha", hint("a-1")));
		this.watch.superseded(liveHolding(ended, "a-1", "b-held"));
		assertThat(this.backends.ended).containsExactlyInAnyOrder("alpha/a-1", "beta/b-held");
		assertThat(this.store.loads).hasValue(0);
	}

	@Test
	void aSessionHandedOverIsWatchedAsTheSessionOfItsIdItWas() {
		SessionRecord ended = storeRecord(Map.of("alpha", hint("a-1")));
		this.clock.advance(IDLE_TTL.plusSeconds(1));
		recreate(ended.id(), Map.of("alpha", hint("a-2")));
		this.watch.adopt(ended.id(), new HandedOverSession(ended.incarnation(), Map.of("alpha", "a-1")));
		assertThat(this.backends.ended).containsExactly("alpha/a-1");
	}

	@Test
	void aHandoverOfASessionWatchedHereAddsWhatTheStoppingPodKnewToTheWatch() {
		SessionRecord record = storeRecord(Map.of("alpha", hint("a-1")));
		this.watch.evicted(liveHolding(record, "a-1"), RemovalCause.SIZE);
		this.watch.adopt(record.id(), new HandedOverSession(record.incarnation(), Map.of("beta", "b-other")));
		assertThat(this.watch.size()).isEqualTo(1);
		this.records.terminate(record.id(), OWNER.owner());
		this.clock.advance(IDLE_TTL.plus(EvictedSessionWatch.RECHECK_MARGIN));
		this.scheduler.runDue();
		assertThat(this.backends.ended).containsExactlyInAnyOrder("alpha/a-1", "beta/b-other");
	}

	@Test
	void ofTwoSessionsOfAnIdMetInAHandoverTheEarlierIsEndedAtOnce() {
		SessionRecord ended = storeRecord(Map.of("alpha", hint("a-1")));
		this.watch.evicted(liveHolding(ended, "a-1"), RemovalCause.SIZE);
		this.clock.advance(IDLE_TTL.plusSeconds(1));
		SessionRecord later = recreate(ended.id(), Map.of("alpha", hint("a-2")));

		this.watch.adopt(ended.id(), new HandedOverSession(later.incarnation(), Map.of("alpha", "a-2")));

		assertThat(this.backends.ended).containsExactly("alpha/a-1");
		assertThat(this.watch.ids()).containsExactly(ended.id());
		// And a handover of the ended one, once the later one is watched, ends it too.
		this.watch.adopt(ended.id(), new HandedOverSession(ended.incarnation(), Map.of("beta", "b-1")));
		assertThat(this.backends.ended).containsExactly("alpha/a-1", "beta/b-1");
	}

	@Test
	void aWatchOfALaterSessionGoesOnWhenTheEarlierOneIsCachedAgain() {
		SessionRecord ended = storeRecord(Map.of("alpha", hint("a-1")));
		this.clock.advance(IDLE_TTL.plusSeconds(1));
		SessionRecord later = recreate(ended.id(), Map.of("alpha", hint("a-2")));
		this.watch.evicted(liveHolding(later, "a-2"), RemovalCause.SIZE);
		this.watch.cached(new LiveSession(ended));
		assertThat(this.watch.ids()).containsExactly(later.id());
		assertThat(this.backends.ended).isEmpty();
	}

	@Test
	void aStoppingPodHoldingAndWatchingTwoSessionsOfAnIdHandsOverTheLaterAndEndsTheEarlier() {
		SessionRecord ended = storeRecord(Map.of("alpha", hint("a-1")));
		this.clock.advance(IDLE_TTL.plusSeconds(1));
		SessionRecord later = recreate(ended.id(), Map.of("alpha", hint("a-2")));
		this.watch.evicted(liveHolding(later, "a-2"), RemovalCause.SIZE);

		Map<SessionId, HandedOverSession> handedOver = this.watch.handOver(List.of(liveHolding(ended, "a-1")));

		assertThat(handedOver).containsOnlyKeys(later.id());
		assertThat(handedOver.get(later.id()).incarnation()).isEqualTo(later.incarnation());
		assertThat(handedOver.get(later.id()).backendSessions()).containsOnly(Map.entry("alpha", "a-2"));
		assertThat(this.backends.ended).containsExactly("alpha/a-1");
	}

	private EvictedSessionWatch watch(long maxWatched) {
		BackendCatalog catalog = new BackendCatalog(List.of(definition("alpha"), definition("beta")));
		SessionMetrics metrics = new SessionMetrics(this.registry);
		BackendReconciler reconciler = new BackendReconciler(catalog, this.backends, Runnable::run, this.clock,
				Duration.ofSeconds(5), metrics);
		return new EvictedSessionWatch(this.store, reconciler, IDLE_TTL, this.clock, this.scheduler, Runnable::run,
				metrics, maxWatched);
	}

	/**
	 * A new session of {@code id}: a fresh id, or one whose earlier session's record
	 * expired.
	 */
	private SessionRecord recreate(SessionId id, Map<String, BackendHint> hints) {
		assertThat(this.records.load(id, "hmac:stranger")).isInstanceOf(LoadResult.Absent.class);
		Instant now = this.clock.instant();
		SessionRecord record = SessionRecord
			.pending(id, now, now.plus(Duration.ofHours(24)), OWNER.owner(), List.of("alpha", "beta"), Map.of())
			.activated(hints);
		assertThat(this.records.create(record)).isTrue();
		return record;
	}

	private SessionRecord storeRecord(Map<String, BackendHint> hints) {
		return recreate(SessionId.generate(), hints);
	}

	private LiveSession liveHolding(SessionRecord record, String... backendSessionIds) {
		LiveSession live = new LiveSession(record);
		List<String> names = List.of("alpha", "beta");
		for (int i = 0; i < backendSessionIds.length; i++) {
			live.attach(new BackendConnection(names.get(i), backendSessionIds[i], record.createdAt()));
		}
		live.close();
		return live;
	}

	private void useOnAnotherPod(SessionId id) {
		assertThat(this.records.load(id, OWNER.owner())).isInstanceOf(LoadResult.Found.class);
	}

	/** The record's last access, read as a stranger so that the read changes nothing. */
	private Instant lastAccess(SessionId id) {
		return ((LoadResult.Found) this.records.load(id, "hmac:stranger")).record().lastAccess();
	}

	private BackendHint hint(String backendSessionId) {
		return new BackendHint(backendSessionId, this.clock.instant());
	}

	private double checks(String outcome) {
		Counter counter = this.registry.find("vmcp.sessions.eviction.checks").tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static BackendDefinition definition(String name) {
		return new BackendDefinition(name, URI.create("http://127.0.0.1:9/" + name), Duration.ofSeconds(1),
				Duration.ofSeconds(1));
	}

	/** Counts loads and fails them on demand; the rest goes to the real store. */
	private static final class CountingStore implements SessionStore {

		final AtomicInteger loads = new AtomicInteger();

		volatile boolean failing;

		private final SessionStore delegate;

		CountingStore(SessionStore delegate) {
			this.delegate = delegate;
		}

		@Override
		public boolean create(SessionRecord record) {
			return this.delegate.create(record);
		}

		@Override
		public LoadResult load(SessionId id, String reader) {
			this.loads.incrementAndGet();
			if (this.failing) {
				throw new StoreUnavailableException("Session store did not answer", new RuntimeException("slow"));
			}
			return this.delegate.load(id, reader);
		}

		@Override
		public UpdateOutcome update(SessionRecord next, long expectedVersion) {
			return this.delegate.update(next, expectedVersion);
		}

		@Override
		public Optional<SessionRecord> terminate(SessionId id, String owner) {
			return this.delegate.terminate(id, owner);
		}

	}

	/** Records the backend sessions it is asked to end; opens and resumes nothing. */
	private static final class RecordingConnector implements BackendConnector {

		final List<String> ended = new CopyOnWriteArrayList<>();

		@Override
		public BackendConnection open(BackendDefinition backend, ClientProfile client) {
			throw new UnsupportedOperationException("open");
		}

		@Override
		public Optional<BackendConnection> resume(BackendDefinition backend, String backendSessionId,
				Instant connectedAt, String protocolVersion) {
			throw new UnsupportedOperationException("resume");
		}

		@Override
		public void terminate(BackendDefinition backend, String backendSessionId) {
			this.ended.add(backend.name() + "/" + backendSessionId);
		}

	}

	/** Runs what is due by the test's clock when the test says so. */
	private final class ManualScheduler implements Scheduler {

		final List<FutureTask<Void>> tasks = new CopyOnWriteArrayList<>();

		private final List<Instant> dueAt = new CopyOnWriteArrayList<>();

		private final List<Duration> delays = new CopyOnWriteArrayList<>();

		@Override
		public Future<?> schedule(Executor executor, Runnable command, long delay, TimeUnit unit) {
			FutureTask<Void> task = new FutureTask<>(() -> executor.execute(command), null);
			Duration after = Duration.ofNanos(unit.toNanos(delay));
			this.tasks.add(task);
			this.dueAt.add(EvictedSessionWatchTests.this.clock.instant().plus(after));
			this.delays.add(after);
			return task;
		}

		List<Duration> delays() {
			return List.copyOf(this.delays);
		}

		/** Runs the tasks due now, including those they schedule that are due too. */
		void runDue() {
			boolean ran = true;
			while (ran) {
				ran = false;
				List<FutureTask<Void>> due = new ArrayList<>();
				for (int i = 0; i < this.tasks.size(); i++) {
					FutureTask<Void> task = this.tasks.get(i);
					if (!task.isDone() && !this.dueAt.get(i).isAfter(EvictedSessionWatchTests.this.clock.instant())) {
						due.add(task);
					}
				}
				for (FutureTask<Void> task : due) {
					task.run();
					ran = true;
				}
			}
		}

	}

}
