package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.session.ParkedCallStore.Claim;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link ParkedCallStore} keeps; each implementation runs it by
 * extending this class.
 */
public abstract class ParkedCallStoreContract extends TimePassingContract {

	protected static final Duration TTL = Duration.ofSeconds(30);

	/** The store under test. */
	protected abstract ParkedCallStore store();

	private final String id = "pk-" + UUID.randomUUID();

	@Test
	void aParkedCallIsClaimedOnceARoundWithItsFields() {
		assertThat(join(store().park(this.id, Map.of("member", "alpha"), TTL))).isTrue();

		assertThat(join(store().claim(this.id, 0, TTL))).isEqualTo(new Claim.Claimed(Map.of("member", "alpha")));
		assertThat(join(store().claim(this.id, 0, TTL))).isInstanceOf(Claim.Taken.class);
		assertThat(join(store().claim(this.id, 1, TTL))).isInstanceOf(Claim.Claimed.class);
	}

	@Test
	void aKeyIsParkedOnceAndAnUnknownOneIsGone() {
		assertThat(join(store().park(this.id, Map.of(), TTL))).isTrue();

		assertThat(join(store().park(this.id, Map.of(), TTL))).isFalse();
		assertThat(join(store().claim("pk-unknown-" + UUID.randomUUID(), 0, TTL))).isInstanceOf(Claim.Gone.class);
	}

	@Test
	void messagesAreTakenInOrderEachOnce() {
		join(store().park(this.id, Map.of(), TTL));
		assertThat(join(store().append(this.id, "first"))).isTrue();
		assertThat(join(store().append(this.id, "second"))).isTrue();

		assertThat(join(store().take(this.id))).contains("first");
		assertThat(join(store().take(this.id))).contains("second");
		assertThat(join(store().take(this.id))).isEmpty();
	}

	@Test
	void concurrentTakersNeverGetTheSameMessage() throws Exception {
		join(store().park(this.id, Map.of(), TTL));
		for (int i = 0; i < 50; i++) {
			join(store().append(this.id, "m" + i));
		}
		List<String> taken = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch start = new CountDownLatch(1);
		try (ExecutorService takers = Executors.newFixedThreadPool(4)) {
			for (int t = 0; t < 4; t++) {
				takers.execute(() -> {
					awaitQuietly(start);
					Optional<String> message;
					while ((message = join(store().take(this.id))).isPresent()) {
						taken.add(message.get());
					}
				});
			}
			start.countDown();
		}

		assertThat(taken).hasSize(50).doesNotHaveDuplicates();
	}

	@Test
	void aCallGoneLeavesNothingToAppendTakeOrExtend() {
		join(store().park(this.id, Map.of(), TTL));
		join(store().append(this.id, "left behind"));

		join(store().end(this.id));

		assertThat(join(store().append(this.id, "late"))).isFalse();
		assertThat(join(store().take(this.id))).isEmpty();
		assertThat(join(store().extend(this.id, TTL))).isFalse();
		assertThat(join(store().remaining(this.id))).isEmpty();
		assertThat(join(store().claim(this.id, 0, TTL))).isInstanceOf(Claim.Gone.class);
	}

	@Test
	void aCallNobodyResumesLapsesWithItsMessages() {
		join(store().park(this.id, Map.of(), Duration.ofMillis(300)));
		join(store().append(this.id, "unread"));

		passTime(Duration.ofMillis(400));

		assertThat(join(store().remaining(this.id))).isEmpty();
		assertThat(join(store().take(this.id))).isEmpty();
		assertThat(join(store().claim(this.id, 0, TTL))).isInstanceOf(Claim.Gone.class);
	}

	@Test
	void aClaimOrAnExtensionGivesTheCallItsNewTime() {
		join(store().park(this.id, Map.of(), Duration.ofMillis(300)));

		join(store().claim(this.id, 0, TTL));
		passTime(Duration.ofMillis(400));

		assertThat(join(store().remaining(this.id)))
			.hasValueSatisfying((left) -> assertThat(left).isGreaterThan(Duration.ofSeconds(20)));
		assertThat(join(store().extend(this.id, Duration.ofMillis(300)))).isTrue();
		passTime(Duration.ofMillis(400));
		assertThat(join(store().remaining(this.id))).isEmpty();
	}

	@Test
	void aPodIsAliveUntilItsBeatLapses() {
		String pod = UUID.randomUUID().toString();
		assertThat(join(store().alive(pod))).isFalse();

		join(store().beat(pod, Duration.ofMillis(300)));
		assertThat(join(store().alive(pod))).isTrue();

		passTime(Duration.ofMillis(400));
		assertThat(join(store().alive(pod))).isFalse();
	}

	private static <T> T join(CompletionStage<T> stage) {
		return stage.toCompletableFuture().join();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
