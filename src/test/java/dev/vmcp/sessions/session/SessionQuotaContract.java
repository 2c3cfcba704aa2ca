package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link SessionQuota} keeps, over the store whose sessions it counts;
 * each implementation runs it by extending this class.
 */
public abstract class SessionQuotaContract extends TimePassingContract {

	/** The limit the quota under test was built with. */
	protected static final int LIMIT = 3;

	/** A caller of its own for each test, so that tests sharing a Redis never meet. */
	protected final String owner = "hmac:" + UUID.randomUUID();

	/** The quota under test, with {@link #LIMIT}, fresh for each test. */
	protected abstract SessionQuota quota();

	/** The store the quota checks. */
	protected abstract SessionStore store();

	/** The idle TTL of the store and of the quota. */
	protected abstract Duration idleTtl();

	@Test
	void aCallerGetsItsLimitAndNotOneMore() {
		List<SessionRecord> created = fill(this.owner);
		QuotaDecision refused = quota().reserve(pending(this.owner));
		assertThat(refused).isInstanceOfSatisfying(QuotaDecision.Full.class, (full) -> {
			assertThat(full.limit()).isEqualTo(LIMIT);
			// The first slot frees itself, unused, one idle TTL after its creation.
			assertThat(full.retryAfter()).isPositive().isLessThanOrEqualTo(idleTtl());
		});
		assertThat(created).allSatisfy((session) -> assertThat(store().load(session.id(), session.owner()))
			.isInstanceOf(LoadResult.Found.class));
	}

	@Test
	void anotherCallerIsNotCountedWithTheFirst() {
		fill(this.owner);
		assertThat(fill("hmac:other-" + UUID.randomUUID())).hasSize(LIMIT);
	}

	@Test
	void releasingTheSlotOfATerminatedSessionLetsTheCallerCreateOneMore() {
		List<SessionRecord> created = fill(this.owner);
		SessionRecord ended = created.get(1);
		store().terminate(ended.id(), this.owner);
		quota().release(this.owner, ended.id());
		assertThat(createWithin(this.owner)).isTrue();
		assertThat(quota().reserve(pending(this.owner))).isInstanceOf(QuotaDecision.Full.class);
	}

	@Test
	void slotsOfSessionsThatExpiredComeBackWithoutARelease() {
		fill(this.owner);
		passTime(idleTtl().plusMillis(200));
		assertThat(fill(this.owner)).hasSize(LIMIT);
		assertThat(quota().reserve(pending(this.owner))).isInstanceOf(QuotaDecision.Full.class);
	}

	@Test
	void aSessionKeptInUseKeepsItsSlotPastTheDeadlineItWasCreatedWith() {
		List<SessionRecord> created = fill(this.owner);
		passTime(idleTtl().multipliedBy(6).dividedBy(10));
		SessionRecord used = created.get(0);
		assertThat(store().load(used.id(), this.owner)).isInstanceOf(LoadResult.Found.class);
		passTime(idleTtl().multipliedBy(6).dividedBy(10));
		// Two expired unused; the used one lives on and still counts.
		assertThat(createWithin(this.owner)).isTrue();
		assertThat(createWithin(this.owner)).isTrue();
		assertThat(quota().reserve(pending(this.owner))).isInstanceOf(QuotaDecision.Full.class);
		assertThat(store().load(used.id(), this.owner)).isInstanceOf(LoadResult.Found.class);
	}

	@Test
	void aTerminatedSessionWhoseReleaseWasLostFreesItsSlotOnceItsTimeHasCome() {
		List<SessionRecord> created = fill(this.owner);
		store().terminate(created.get(0).id(), this.owner);
		assertThat(quota().reserve(pending(this.owner))).isInstanceOf(QuotaDecision.Full.class);
		passTime(idleTtl().plusMillis(200));
		assertThat(fill(this.owner)).hasSize(LIMIT);
	}

	@Test
	void aSlotReservedForASessionNeverCreatedComesBackAfterOneIdleTtl() {
		for (int i = 0; i < LIMIT; i++) {
			assertThat(quota().reserve(pending(this.owner))).isInstanceOf(QuotaDecision.Reserved.class);
		}
		assertThat(quota().reserve(pending(this.owner))).isInstanceOf(QuotaDecision.Full.class);
		passTime(idleTtl().plusMillis(200));
		assertThat(createWithin(this.owner)).isTrue();
	}

	@Test
	void releasingASlotThatIsNotHeldDoesNothing() {
		List<SessionRecord> created = fill(this.owner);
		quota().release(this.owner, SessionId.generate());
		quota().release("hmac:nobody-" + UUID.randomUUID(), created.get(0).id());
		assertThat(quota().reserve(pending(this.owner))).isInstanceOf(QuotaDecision.Full.class);
	}

	@Test
	void concurrentReservationsOfOneCallerNeverExceedTheLimit() throws Exception {
		int contenders = 12;
		CyclicBarrier start = new CyclicBarrier(contenders);
		try (ExecutorService threads = Executors.newFixedThreadPool(contenders)) {
			List<CompletableFuture<QuotaDecision>> decisions = IntStream.range(0, contenders)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> {
					SessionRecord session = pending(this.owner);
					await(start);
					return quota().reserve(session);
				}, threads))
				.toList();
			assertThat(decisions.stream().map(CompletableFuture::join))
				.filteredOn((decision) -> decision instanceof QuotaDecision.Reserved)
				.hasSize(LIMIT);
		}
	}

	/** Creates sessions of {@code owner} until its quota is full; the ones created. */
	protected List<SessionRecord> fill(String owner) {
		List<SessionRecord> created = new ArrayList<>();
		while (created.size() <= LIMIT) {
			SessionRecord session = pending(owner);
			if (!(quota().reserve(session) instanceof QuotaDecision.Reserved)) {
				return created;
			}
			assertThat(store().create(session)).isTrue();
			created.add(session);
		}
		throw new AssertionError("More than " + LIMIT + " sessions of one caller were let in");
	}

	/** Reserves a slot and creates a session in it; whether a slot was free. */
	protected boolean createWithin(String owner) {
		SessionRecord session = pending(owner);
		if (!(quota().reserve(session) instanceof QuotaDecision.Reserved)) {
			return false;
		}
		return store().create(session);
	}

	protected SessionRecord pending(String owner) {
		return SessionRecord.pending(SessionId.generate(), now(), now().plus(Duration.ofHours(1)), owner,
				List.of("alpha"), Map.of());
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
