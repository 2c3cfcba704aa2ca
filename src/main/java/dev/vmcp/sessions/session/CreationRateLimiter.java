package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * How fast each caller may create sessions on this pod: a token bucket per caller that
 * holds up to {@code burst} creations and refills at {@code perSecond}. Per pod: with
 * {@code n} pods behind a balancer a caller may create up to {@code n} times as fast.
 * <p>
 * Each bucket is kept as the time at which it will be full again (the generic cell rate
 * algorithm), in whole nanoseconds, so no rounding creeps in. A bucket full again is
 * forgotten (a new one starts full, which is the same), and at most {@value #MAX_CALLERS}
 * callers are remembered at once, so memory stays bounded however many callers come.
 * Thread-safe.
 */
public final class CreationRateLimiter {

	/** Callers whose buckets are kept at once; the least recently seen go first. */
	static final long MAX_CALLERS = 100_000;

	/** Nanoseconds between two tokens. */
	private final long interval;

	/** How far ahead of now a full bucket's refill may run: {@code burst - 1} tokens. */
	private final long tolerance;

	private final Ticker ticker;

	private final Cache<String, Bucket> buckets;

	/**
	 * @param perSecond creations per second a caller may sustain
	 * @param burst creations a caller may make at once after a pause
	 * @param ticker the time source; tests move their own
	 */
	public CreationRateLimiter(double perSecond, int burst, Ticker ticker) {
		if (!(perSecond > 0) || burst < 1) {
			throw new IllegalArgumentException(
					"perSecond must be positive and burst at least 1, were " + perSecond + " and " + burst);
		}
		this.interval = Math.max(1, Math.round(Duration.ofSeconds(1).toNanos() / perSecond));
		this.tolerance = this.interval * (burst - 1);
		this.ticker = ticker;
		this.buckets = Caffeine.newBuilder()
			.ticker(ticker)
			.expireAfterAccess(Duration.ofNanos(this.tolerance + this.interval))
			.maximumSize(MAX_CALLERS)
			.build();
	}

	/**
	 * Takes one creation from {@code caller}'s bucket.
	 * @return empty when the caller may create now; otherwise how long until it may
	 */
	public Optional<Duration> acquire(String caller) {
		long now = this.ticker.read();
		long waitNanos = this.buckets.get(caller, (key) -> new Bucket(now)).take(now);
		return (waitNanos == 0) ? Optional.empty() : Optional.of(Duration.ofNanos(waitNanos));
	}

	private final class Bucket {

		/** When the bucket holds {@code burst} tokens again, if nothing is taken. */
		private long fullAt;

		Bucket(long now) {
			this.fullAt = now;
		}

		/** Takes a token if there is one: 0; otherwise the nanoseconds until there is. */
		synchronized long take(long now) {
			long after = Math.max(this.fullAt, now) + CreationRateLimiter.this.interval;
			long wait = after - now - CreationRateLimiter.this.interval - CreationRateLimiter.this.tolerance;
			if (wait > 0) {
				return wait;
			}
			this.fullAt = after;
			return 0;
		}

	}

}
