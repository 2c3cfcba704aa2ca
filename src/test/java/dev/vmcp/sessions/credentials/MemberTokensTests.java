package dev.vmcp.sessions.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

import dev.vmcp.sessions.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod's members' tokens: kept until they are due for renewal, forgotten when refused.
 */
class MemberTokensTests {

	private static final Duration RENEW_BEFORE = Duration.ofSeconds(30);

	private final MutableClock clock = MutableClock.startingNow();

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	private final MemberTokens tokens = new MemberTokens(100, RENEW_BEFORE, this.clock, this.ticker);

	@Test
	void aTokenIsKeptUntilItIsDueForRenewal() {
		this.tokens.saveAuthorizedClient(client("t1", Duration.ofMinutes(5)), principal("alice"));

		advance(Duration.ofMinutes(4));
		assertThat(token("alice")).isEqualTo("t1");

		advance(Duration.ofSeconds(31));
		assertThat(this.tokens.<OAuth2AuthorizedClient>loadAuthorizedClient("beta", "alice")).isNull();
	}

	@Test
	void aTokenAboutToExpireIsNotKeptAtAll() {
		this.tokens.saveAuthorizedClient(client("t1", Duration.ofSeconds(20)), principal("alice"));

		assertThat(this.tokens.<OAuth2AuthorizedClient>loadAuthorizedClient("beta", "alice")).isNull();
	}

	@Test
	void eachPrincipalHasItsOwnToken() {
		this.tokens.saveAuthorizedClient(client("for-alice", Duration.ofMinutes(5)), principal("alice"));
		this.tokens.saveAuthorizedClient(client("for-bob", Duration.ofMinutes(5)), principal("bob"));

		assertThat(token("alice")).isEqualTo("for-alice");
		assertThat(token("bob")).isEqualTo("for-bob");
		assertThat(this.tokens.size()).isEqualTo(2);
	}

	@Test
	void aRefusedTokenIsForgottenButNotOneObtainedSince() {
		this.tokens.saveAuthorizedClient(client("t2", Duration.ofMinutes(5)), principal("alice"));

		this.tokens.forget("beta", "alice", "t1");
		assertThat(token("alice")).as("refused long ago, replaced since").isEqualTo("t2");

		this.tokens.forget("beta", "alice", "t2");
		assertThat(this.tokens.<OAuth2AuthorizedClient>loadAuthorizedClient("beta", "alice")).isNull();
	}

	private String token(String principal) {
		OAuth2AuthorizedClient client = this.tokens.loadAuthorizedClient("beta", principal);
		assertThat(client).isNotNull();
		return client.getAccessToken().getTokenValue();
	}

	private void advance(Duration duration) {
		this.clock.advance(duration);
		this.nanos.addAndGet(duration.toNanos());
	}

	private OAuth2AuthorizedClient client(String tokenValue, Duration lifetime) {
		Instant now = this.clock.instant();
		ClientRegistration registration = ClientRegistration.withRegistrationId("beta")
			.clientId("vmcp-gateway")
			.clientSecret("secret")
			.tokenUri("https://idp.test/oauth2/token")
			.authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
			.build();
		return new OAuth2AuthorizedClient(registration, "ignored",
				new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, tokenValue, now, now.plus(lifetime)));
	}

	private static TestingAuthenticationToken principal(String name) {
		return new TestingAuthenticationToken(name, null);
	}

}
