package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token bucket per caller, with time moved by hand.
 */
class CreationRateLimiterTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	/** Two per second, five at once. */
	private final CreationRateLimiter limiter = new CreationRateLimiter(2, 5, this.nanos::get);

	@Test
	void aCallerMayCreateItsBurstAtOnceAndThenWaitsForTheNextToken() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.limiter.acquire("alice")).as("creation %d", i).isEmpty();
		}
		assertThat(this.limiter.acquire("alice")).contains(Duration.ofMillis(500));
		advance(Duration.ofMillis(499));
		assertThat(this.limiter.acquire("alice"))
			.hasValueSatisfying((wait) -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(1)));
		advance(Duration.ofMillis(1));
		assertThat(this.limiter.acquire("alice")).isEmpty();
		assertThat(this.limiter.acquire("alice")).isPresent();
	}

	@Test
	void anotherCallerHasABucketOfItsOwn() {
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire("alice");
		}
		assertThat(this.limiter.acquire("alice")).isPresent();
		assertThat(this.limiter.acquire("bob")).isEmpty();
	}

	@Test
	void aPauseRefillsTheBucketUpToItsBurstAndNoFurther() {
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire("alice");
		}
		advance(Duration.ofMinutes(10));
		for (int i = 0; i < 5; i++) {
			assertThat(this.limiter.acquire("alice")).as("creation %d", i).isEmpty();
		}
		assertThat(this.limiter.acquire("alice")).isPresent();
	}

	@Test
	void theSustainedRateIsTheConfiguredOne() {
		int created = 0;
		for (int tick = 0; tick < 1000; tick++) {
			if (this.limiter.acquire("alice").isEmpty()) {
				created++;
			}
			advance(Duration.ofMillis(10));
		}
		// Ten seconds at two per second, after a burst of five.
		assertThat(created).isBetween(24, 25);
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
