package dev.vmcp.sessions.security;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import dev.vmcp.sessions.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RememberedJwtDecoderTests {

	private static final Duration REMEMBER_FOR = Duration.ofSeconds(60);

	private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(this.start);

	/** Caffeine's time, moved with the clock. */
	private final Ticker ticker = () -> Duration.between(this.start, this.clock.instant()).toNanos();

	private final AtomicInteger verifications = new AtomicInteger();

	private volatile boolean keyRevoked;

	private final JwtDecoder verifier = (token) -> {
		this.verifications.incrementAndGet();
		if (this.keyRevoked || token.startsWith("bad")) {
			throw new BadJwtException("signature does not verify");
		}
		Instant expiresAt = this.start
			.plus(Duration.ofSeconds(Long.parseLong(token.substring(token.indexOf(':') + 1))));
		return Jwt.withTokenValue(token).header("alg", "RS256").subject("alice").expiresAt(expiresAt).build();
	};

	private final RememberedJwtDecoder decoder = new RememberedJwtDecoder(this.verifier, REMEMBER_FOR, 100, this.clock,
			this.ticker);

	@Test
	void aTokenSentAgainIsVerifiedOnce() {
		Jwt first = this.decoder.decode("token-a:3600");
		Jwt again = this.decoder.decode("token-a:3600");

		assertThat(again).isSameAs(first);
		assertThat(this.verifications).hasValue(1);
	}

	@Test
	void aTokenIsNeverAcceptedPastItsOwnExpiry() {
		this.decoder.decode("short-lived:30");
		advance(Duration.ofSeconds(31));
		this.keyRevoked = true; // stands for the verifier's own expiry check

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("short-lived:30"));
		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void aRevokedKeyStopsBeingHonouredWithinTheBound() {
		this.decoder.decode("long-lived:86400");
		this.keyRevoked = true;
		advance(REMEMBER_FOR.minusSeconds(1));
		assertThat(this.decoder.decode("long-lived:86400").getSubject()).isEqualTo("alice");

		advance(Duration.ofSeconds(2));
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("long-lived:86400"));
	}

	@Test
	void aRejectedTokenIsNotRemembered() {
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("bad:3600"));
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("bad:3600"));

		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void atMostItsCapacityOfTokensIsRemembered() {
		int tokens = 1000;
		for (int i = 0; i < tokens; i++) {
			this.decoder.decode("token-" + i + ":3600");
		}
		this.verifications.set(0);
		for (int i = 0; i < tokens; i++) {
			this.decoder.decode("token-" + i + ":3600");
		}

		// A capacity of 100 keeps about 100 of them; the size eviction runs
		// asynchronously,
		// so a few more may still be there. Without a bound, none would be verified
		// again.
		assertThat(this.verifications).hasValueGreaterThanOrEqualTo(800);
	}

	private void advance(Duration duration) {
		this.clock.advance(duration);
	}

}
