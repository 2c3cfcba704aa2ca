package dev.vmcp.sessions.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.backend.ClientProfile;
import dev.vmcp.sessions.session.PausingSessionStore.Operation;
import dev.vmcp.sessions.session.PausingSessionStore.Pause;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The races of the design, each pinned by a test whose interleaving is chosen by pausing
 * one store call; real MCP backends, the real service. Each test fails on the naive
 * implementation the design warns about.
 */
class SessionRaceIntegrationTests {

	private static final Caller OWNER = Caller.anonymous();

	private McpBackendServer alpha;

	private McpBackendServer beta;

	private MemorySessionStore shared;

	private SessionServiceFixture podA;

	private SessionServiceFixture podB;

	@BeforeEach
	void start() {
		this.alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		this.beta = McpBackendServer.start("beta", ResponseMode.SSE);
		this.shared = new MemorySessionStore(
				new SessionTtl(Duration.ofMinutes(30), Duration.ofMinutes(10), Clock.systemUTC()));
		this.podA = new SessionServiceFixture(new PausingSessionStore(this.shared), List.of(this.alpha, this.beta));
		this.podB = new SessionServiceFixture(new PausingSessionStore(this.shared), List.of(this.alpha, this.beta));
	}

	@AfterEach
	void stop() {
		this.podA.close();
		this.podB.close();
		this.alpha.close();
		this.beta.close();
	}

	@Test
	@DisplayName("race 1: a slow load does not starve the write that follows it")
	void slowLoadDoesNotStarveTheFollowingWrite() {
		SessionId id = create(this.podA);
		Duration mostOfTheBudget = SessionServiceFixture.STORE_TIMEOUT.multipliedBy(7).dividedBy(10);
		this.podA.store.delay(Operation.LOAD, mostOfTheBudget);
		this.podA.store.delay(Operation.UPDATE, mostOfTheBudget);
		this.podA.service.backendExpired(OWNER, id, "alpha");
		this.podA.store.clearDelays();
		assertThat(loaded(id).hints()).doesNotContainKey("alpha");
	}

	@Test
	@DisplayName("race 2: a write after a concurrent terminate does not resurrect the session")
	void writeAfterConcurrentTerminateDoesNotResurrectTheSession() throws Exception {
		SessionId id = create(this.podA);
		Pause beforeWrite = this.podA.store.pauseNext(Operation.UPDATE);
		CompletableFuture<Void> expired = CompletableFuture
			.runAsync(() -> this.podA.service.backendExpired(OWNER, id, "alpha"));
		beforeWrite.awaitArrival();
		this.podB.service.terminate(OWNER, id);
		beforeWrite.release();
		assertThat(expired).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(SessionNotFoundException.class);
		int initializesBefore = this.alpha.initializeCount();
		assertThatExceptionOfType(SessionNotFoundException.class).isThrownBy(() -> this.podB.service.get(OWNER, id));
		assertThat(this.shared.load(id)).isInstanceOf(LoadResult.Terminated.class);
		assertThat(this.alpha.initializeCount()).isEqualTo(initializesBefore);
	}

	@Test
	@DisplayName("race 4: a terminate between create's last check and its final write wins")
	void terminateDuringCreateWinsOverTheFinalWrite() throws Exception {
		Pause beforeActivation = this.podA.store.pauseNext(Operation.UPDATE);
		CompletableFuture<SessionSnapshot> creation = CompletableFuture
			.supplyAsync(() -> this.podA.service.create(OWNER, Optional.empty(), Map.of()));
		beforeActivation.awaitArrival();
		SessionId id = new SessionId(pendingId());
		this.podB.service.terminate(OWNER, id);
		beforeActivation.release();
		assertThat(creation).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(SessionTerminatedDuringCreationException.class);
		assertThat(this.shared.load(id)).isInstanceOf(LoadResult.Terminated.class);
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
			assertThat(this.alpha.deleteCount()).isEqualTo(1);
			assertThat(this.beta.deleteCount()).isEqualTo(1);
		});
	}

	@Test
	@DisplayName("race 8: a storage timeout during restore is 'unavailable', and the session survives")
	void storageTimeoutDuringRestoreIsUnavailableAndKeepsTheSession() {
		SessionId id = create(this.podA);
		this.podB.store.delay(Operation.LOAD, SessionServiceFixture.STORE_TIMEOUT.plusMillis(300));
		assertThatExceptionOfType(StoreUnavailableException.class).isThrownBy(() -> this.podB.service.get(OWNER, id));
		this.podB.store.clearDelays();
		assertThat(this.podB.service.get(OWNER, id).record().state()).isEqualTo(SessionState.ACTIVE);
	}

	@Test
	@DisplayName("race 9: a backend that fails to reconnect during restore stays a member")
	void backendThatFailsDuringRestoreStaysAMember() {
		SessionId id = create(this.podA);
		this.beta.stop();
		SessionSnapshot onB = this.podB.service.get(OWNER, id);
		assertThat(onB.record().backends()).containsExactly("alpha", "beta");
		assertThat(status(onB, "beta").state()).isEqualTo(BackendStatus.State.FAILED);
		assertThat(status(onB, "alpha").state()).isEqualTo(BackendStatus.State.CONNECTED);
		assertThat(loaded(id).backends()).contains("beta");
		assertThat(loaded(id).hints()).containsKey("beta");
		this.beta.restart();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(status(this.podB.service.get(OWNER, id), "beta").state())
				.isEqualTo(BackendStatus.State.CONNECTED));
	}

	@Test
	@DisplayName("race 10: concurrent metadata patches without If-Match are all applied")
	void concurrentMetadataPatchesAreAllApplied() throws Exception {
		SessionId id = create(this.podA);
		Pause firstWrite = this.podA.store.pauseNext(Operation.UPDATE);
		CompletableFuture<SessionSnapshot> first = CompletableFuture.supplyAsync(() -> this.podA.service
			.updateMetadata(OWNER, id, new MetadataPatch(Map.of("a", "1")), OptionalLong.empty()));
		firstWrite.awaitArrival();
		this.podB.service.updateMetadata(OWNER, id, new MetadataPatch(Map.of("b", "2")), OptionalLong.empty());
		firstWrite.release();
		assertThat(first.get().record().metadata()).containsEntry("a", "1").containsEntry("b", "2");
		assertThat(loaded(id).metadata()).containsEntry("a", "1").containsEntry("b", "2");
	}

	@Test
	@DisplayName("race 10: a conditional patch that loses to a concurrent one is refused, not merged")
	void conditionalPatchThatLosesIsRefused() throws Exception {
		SessionId id = create(this.podA);
		long version = loaded(id).version();
		Pause firstWrite = this.podA.store.pauseNext(Operation.UPDATE);
		CompletableFuture<SessionSnapshot> first = CompletableFuture.supplyAsync(() -> this.podA.service
			.updateMetadata(OWNER, id, new MetadataPatch(Map.of("a", "1")), OptionalLong.of(version)));
		firstWrite.awaitArrival();
		this.podB.service.updateMetadata(OWNER, id, new MetadataPatch(Map.of("b", "2")), OptionalLong.of(version));
		firstWrite.release();
		assertThat(first).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(VersionMismatchException.class);
		assertThat(loaded(id).metadata()).containsEntry("b", "2").doesNotContainKey("a");
	}

	@Test
	@DisplayName("race 10: a hint write-back that loses to a metadata patch keeps both, reopening nothing")
	void hintWriteBackThatLosesToAMetadataPatchKeepsBoth() throws Exception {
		SessionId id = create(this.podA);
		this.alpha.forgetAllSessions();
		int initializes = this.alpha.initializeCount();
		Pause hintWrite = this.podB.store.pauseNext(Operation.UPDATE);
		CompletableFuture<SessionSnapshot> read = CompletableFuture.supplyAsync(() -> this.podB.service.get(OWNER, id));
		hintWrite.awaitArrival();
		this.podA.service.updateMetadata(OWNER, id, new MetadataPatch(Map.of("team", "blue")), OptionalLong.empty());
		hintWrite.release();
		assertThat(read.get().record().metadata()).containsEntry("team", "blue");
		assertThat(this.alpha.initializeCount()).isEqualTo(initializes + 1);
		assertThat(this.alpha.deleteCount()).isZero();
		String reopened = this.podB.cache.find(id).orElseThrow().connection("alpha").orElseThrow().backendSessionId();
		assertThat(loaded(id).hints().get("alpha").backendSessionId()).isEqualTo(reopened);
		assertThat(loaded(id).metadata()).containsEntry("team", "blue");
	}

	@Test
	@DisplayName("two requests on one pod that both find a backend expired reconnect it once")
	void concurrentRequestsOnOnePodReconnectAnExpiredBackendOnce() throws Exception {
		SessionId id = create(this.podA);
		this.podB.service.get(OWNER, id);
		this.podA.service.backendExpired(OWNER, id, "alpha");
		int initializes = this.alpha.initializeCount();
		Pause hintWrite = this.podB.store.pauseNext(Operation.UPDATE);
		// Threads of their own: the common pool may have a single worker on a small
		// machine.
		Executor requests = (task) -> Thread.ofVirtual().start(task);
		CompletableFuture<SessionSnapshot> first = CompletableFuture.supplyAsync(() -> this.podB.service.get(OWNER, id),
				requests);
		hintWrite.awaitArrival();
		CompletableFuture<SessionSnapshot> second = CompletableFuture
			.supplyAsync(() -> this.podB.service.get(OWNER, id), requests);
		LiveSession live = this.podB.cache.find(id).orElseThrow();
		// Release the paused write before its store deadline runs out.
		await().atMost(SessionServiceFixture.STORE_TIMEOUT.dividedBy(2)).until(() -> live.lock().getQueueLength() == 1);
		hintWrite.release();
		assertThat(first.get().record().version()).isEqualTo(second.get().record().version());
		assertThat(this.alpha.initializeCount()).isEqualTo(initializes + 1);
		// Only the expired session was ended; the one opened in its place lives.
		assertThat(this.alpha.deleteCount()).isEqualTo(1);
	}

	@Test
	@DisplayName("race 11: a caller with the wrong identity is rejected and the session lives on")
	void wrongIdentityIsRejectedAndTheSessionLivesOn() {
		SessionId id = create(this.podA);
		Instant lastAccess = untouchedView(id).lastAccess();
		Caller stranger = new Caller("hmac:stranger", false);
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.podB.service.terminate(stranger, id));
		assertThatExceptionOfType(SessionNotFoundException.class).isThrownBy(() -> this.podB.service.get(stranger, id));
		assertThat(untouchedView(id).lastAccess()).as("a stranger's requests are no activity").isEqualTo(lastAccess);
		assertThat(this.podA.service.get(OWNER, id).record().state()).isEqualTo(SessionState.ACTIVE);
		assertThat(this.alpha.deleteCount()).isZero();
	}

	@Test
	@DisplayName("a request that finds the record expired while this pod still holds the session ends its backend sessions")
	void requestThatFindsTheRecordExpiredEndsTheBackendSessionsThePodHolds() {
		MutableClock clock = MutableClock.startingNow();
		MemorySessionStore expiring = new MemorySessionStore(
				new SessionTtl(Duration.ofMinutes(30), Duration.ofMinutes(10), clock));
		try (SessionServiceFixture pod = new SessionServiceFixture(new PausingSessionStore(expiring),
				List.of(this.alpha, this.beta))) {
			SessionId id = create(pod);
			Map<String, String> held = new LinkedHashMap<>();
			pod.cache.find(id)
				.orElseThrow()
				.connections()
				.forEach((connection) -> held.put(connection.backend(), connection.backendSessionId()));
			clock.advance(Duration.ofMinutes(31));
			assertThatExceptionOfType(SessionNotFoundException.class).isThrownBy(() -> pod.service.get(OWNER, id));
			assertThat(pod.cache.find(id)).isEmpty();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(this.alpha.deletedSessionIds()).containsExactly(held.get("alpha"));
				assertThat(this.beta.deletedSessionIds()).containsExactly(held.get("beta"));
			});
		}
	}

	@Test
	@DisplayName("race: a caller session's write after it expired meets the later session of its id")
	void aWriteForACallerSessionThatEndedMeetsTheLaterSessionOfItsId() throws Exception {
		MutableClock storeClock = MutableClock.startingNow();
		MemorySessionStore store = new MemorySessionStore(
				new SessionTtl(Duration.ofMinutes(30), Duration.ofMinutes(10), storeClock));
		SessionId id = new SessionId("cs0-derived-the-same-on-every-pod");
		try (SessionServiceFixture a = new SessionServiceFixture(new PausingSessionStore(store), List.of(this.alpha));
				SessionServiceFixture b = new SessionServiceFixture(new PausingSessionStore(store),
						List.of(this.alpha))) {
			ActiveSession ended = a.service.useOrOpen(OWNER, id, List.of("alpha"), ClientProfile.NONE);
			// Pod B finds alpha's session lost, so pod A's next use opens another and
			// writes its hint; that write waits while the session expires and the next
			// request, on pod B, creates a later session of the id.
			b.service.backendExpired(OWNER, id, "alpha");
			Pause beforeWrite = a.store.pauseNext(Operation.UPDATE);
			CompletableFuture<ActiveSession> useOnA = CompletableFuture
				.supplyAsync(() -> a.service.useOrOpen(OWNER, id, List.of("alpha"), ClientProfile.NONE));
			beforeWrite.awaitArrival();
			storeClock.advance(Duration.ofMinutes(31));
			Thread.sleep(2);
			ActiveSession later = b.service.useOrOpen(OWNER, id, List.of("alpha"), ClientProfile.NONE);
			String laterAlpha = later.live().connection("alpha").orElseThrow().backendSessionId();
			beforeWrite.release();

			ActiveSession onA = useOnA.get(5, TimeUnit.SECONDS);
			assertThat(later.record().incarnation()).isGreaterThan(ended.record().incarnation());
			assertThat(onA.record().incarnation()).isEqualTo(later.record().incarnation());
			assertThat(onA.live().incarnation()).isEqualTo(later.record().incarnation());
			assertThat(onA.live().connection("alpha").orElseThrow().backendSessionId()).isEqualTo(laterAlpha);
			assertThat(a.cache.find(id)).containsSame(onA.live());
			// What pod A opened for the session that ended is ended; the later one's
			// lives.
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.alpha.liveSessionIds()).containsExactly(laterAlpha));
		}
	}

	private SessionId create(SessionServiceFixture pod) {
		return pod.service.create(OWNER, Optional.empty(), Map.of()).record().id();
	}

	private SessionRecord loaded(SessionId id) {
		return ((LoadResult.Found) this.shared.load(id)).record();
	}

	/** The stored record, read as nobody in particular: the read changes nothing. */
	private SessionRecord untouchedView(SessionId id) {
		return ((LoadResult.Found) this.shared.load(id, "hmac:observer")).record();
	}

	/** The one session the shared store holds while a create is paused. */
	private String pendingId() {
		return this.shared.ids().stream().findFirst().orElseThrow().value();
	}

	private static BackendStatus status(SessionSnapshot snapshot, String backend) {
		return snapshot.backends().stream().filter((status) -> status.name().equals(backend)).findFirst().orElseThrow();
	}

}
