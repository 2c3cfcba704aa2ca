package dev.vmcp.sessions.backend;

import java.util.Optional;

/**
 * The tokens members are reached with when they take a token of their own: obtained from
 * an authorization server as the gateway itself (client credentials) or for the caller
 * (token exchange), kept while they are valid, renewed when a member refuses them. The
 * caller's own token never reaches a member. Implementations are thread-safe.
 */
public interface MemberCredentials {

	/** No member takes a token of its own. */
	MemberCredentials NONE = new MemberCredentials() {

		@Override
		public Optional<String> authorization(BackendDefinition backend) {
			return Optional.empty();
		}

		@Override
		public void refused(BackendDefinition backend, String authorization) {
		}

	};

	/**
	 * The {@code Authorization} header a request to the member carries now, for the
	 * caller the current thread works for ({@link MemberCaller}); empty when the member
	 * takes no token of its own.
	 * @throws MemberCredentialsException when no token can be had for it
	 */
	Optional<String> authorization(BackendDefinition backend);

	/**
	 * The member refused {@code authorization} (HTTP 401): it is not presented again, and
	 * the next {@link #authorization} gets a new token.
	 */
	void refused(BackendDefinition backend, String authorization);

}
