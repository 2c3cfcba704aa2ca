package dev.vmcp.sessions.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;

/**
 * This pod's members' tokens, in memory only: one per member and principal (the gateway
 * itself for client credentials; for token exchange, the caller's owner binding with a
 * digest of the token it presented), each kept until {@code renewBefore} ahead of its
 * expiry, when the authorized-client providers would renew it anyway. At most
 * {@code capacity}, the least recently used leaving first. No caller's token is kept
 * here, and nothing leaves the pod. Thread-safe.
 */
final class MemberTokens implements OAuth2AuthorizedClientService {

	private final Cache<Key, OAuth2AuthorizedClient> tokens;

	MemberTokens(long capacity, Duration renewBefore, Clock clock, Ticker ticker) {
		this.tokens = Caffeine.newBuilder()
			.maximumSize(capacity)
			.expireAfter(new UntilRenewal(renewBefore, clock))
			.ticker(ticker)
			.build();
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T extends OAuth2AuthorizedClient> @Nullable T loadAuthorizedClient(String registrationId,
			String principalName) {
		return (T) this.tokens.getIfPresent(new Key(registrationId, principalName));
	}

	@Override
	public void saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal) {
		this.tokens.put(new Key(client.getClientRegistration().getRegistrationId(), principal.getName()), client);
	}

	@Override
	public void removeAuthorizedClient(String registrationId, String principalName) {
		this.tokens.invalidate(new Key(registrationId, principalName));
	}

	/**
	 * Forgets the token held for the principal if it is still {@code tokenValue}: one
	 * obtained meanwhile by another request stays.
	 */
	void forget(String registrationId, String principalName, String tokenValue) {
		this.tokens.asMap()
			.computeIfPresent(new Key(registrationId, principalName),
					(key, held) -> held.getAccessToken().getTokenValue().equals(tokenValue) ? null : held);
	}

	/** How many tokens this pod holds now. */
	long size() {
		this.tokens.cleanUp();
		return this.tokens.estimatedSize();
	}

	/**
	 * @param registrationId the member
	 * @param principalName whom the token was obtained for
	 */
	private record Key(String registrationId, String principalName) {
	}

	/** A token is kept until it is due for renewal. */
	private record UntilRenewal(Duration renewBefore, Clock clock) implements Expiry<Key, OAuth2AuthorizedClient> {

		@Override
		public long expireAfterCreate(Key key, OAuth2AuthorizedClient client, long currentTime) {
			Instant expiresAt = client.getAccessToken().getExpiresAt();
			if (expiresAt == null) {
				return 0;
			}
			return Math.max(0, Duration.between(this.clock.instant(), expiresAt.minus(this.renewBefore)).toNanos());
		}

		@Override
		public long expireAfterUpdate(Key key, OAuth2AuthorizedClient client, long currentTime, long currentDuration) {
			return expireAfterCreate(key, client, currentTime);
		}

		@Override
		public long expireAfterRead(Key key, OAuth2AuthorizedClient client, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
