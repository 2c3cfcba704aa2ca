package dev.vmcp.sessions.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens that passed verification, so that a client sending the same token on
 * every request pays for its signature check once and not on each request.
 * <p>
 * A token is remembered until its own expiry ({@code exp}) or for {@code rememberFor},
 * whichever comes first: a token is never accepted after it expires, and a signing key
 * that is revoked stops being honoured at most {@code rememberFor} after the decoder
 * itself stops accepting it. Rejected tokens are never remembered. At most
 * {@code capacity} tokens are kept; beyond it, Caffeine's size eviction drops the ones
 * least used lately. Thread-safe.
 */
public final class RememberedJwtDecoder implements JwtDecoder {

	private final JwtDecoder verifier;

	private final Cache<String, Jwt> verified;

	/**
	 * @param verifier the decoder that checks signatures and claims
	 * @param rememberFor the longest a verified token is accepted without a new check
	 * @param capacity most tokens remembered at once
	 */
	public RememberedJwtDecoder(JwtDecoder verifier, Duration rememberFor, long capacity, Clock clock, Ticker ticker) {
		this.verifier = verifier;
		this.verified = Caffeine.newBuilder()
			.maximumSize(capacity)
			.expireAfter(new UntilExpiryAtMost(rememberFor, clock))
			.ticker(ticker)
			.build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		return this.verified.get(token, this.verifier::decode);
	}

	/** A remembered token's time: until its {@code exp}, never longer than the bound. */
	private record UntilExpiryAtMost(Duration bound, Clock clock) implements Expiry<String, Jwt> {

		@Override
		public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
			Instant expiresAt = jwt.getExpiresAt();
			if (expiresAt == null) {
				return this.bound.toNanos();
			}
			Duration left = Duration.between(this.clock.instant(), expiresAt);
			return Math.max(0, Math.min(left.toNanos(), this.bound.toNanos()));
		}

		@Override
		public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
			return currentDuration;
		}

		@Override
		public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
