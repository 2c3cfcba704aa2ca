package dev.vmcp.sessions.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Ticker;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.MemberAuth;
import dev.vmcp.sessions.backend.MemberCaller;
import dev.vmcp.sessions.backend.MemberCredentials;
import dev.vmcp.sessions.backend.MemberCredentialsException;

/**
 * Members' tokens from their authorization servers, kept in this pod's memory
 * ({@link MemberTokens}) until shortly before they expire: a member reached with the
 * gateway's own identity has one token on each pod, shared by every caller; a member
 * reached with the caller's has one per caller (and token the caller presented) on each
 * pod, obtained by token exchange on that caller's first request that needs it. Requests
 * that need the same token at once wait for one request to the authorization server.
 * Thread-safe.
 */
public final class OAuthMemberCredentials implements MemberCredentials {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The principal of client-credentials tokens: the gateway itself. */
	private static final String GATEWAY = "vmcp-gateway";

	private final Map<String, TokenEndpoint> endpoints;

	private final Map<String, MemberAuth.Type> types;

	private final MemberTokens tokens;

	private final Clock clock;

	private final ConcurrentMap<Key, CompletableFuture<OAuth2AuthorizedClient>> inFlight = new ConcurrentHashMap<>();

	private OAuthMemberCredentials(Map<String, TokenEndpoint> endpoints, Map<String, MemberAuth.Type> types,
			MemberTokens tokens, Clock clock) {
		this.endpoints = endpoints;
		this.types = types;
		this.tokens = tokens;
		this.clock = clock;
	}

	/**
	 * The tokens of the members among {@code backends} that take one.
	 * @param capacity most tokens kept per pod
	 * @param renewBefore how long before its expiry a token is renewed
	 */
	public static OAuthMemberCredentials of(List<BackendDefinition> backends, long capacity, Duration renewBefore,
			Clock clock) {
		MemberTokens tokens = new MemberTokens(capacity, renewBefore, clock, Ticker.systemTicker());
		Map<String, TokenEndpoint> endpoints = new LinkedHashMap<>();
		Map<String, MemberAuth.Type> types = new LinkedHashMap<>();
		for (BackendDefinition backend : backends) {
			if (backend.auth().type() != MemberAuth.Type.NONE) {
				endpoints.put(backend.name(), TokenEndpoint.of(backend, tokens, renewBefore, clock));
				types.put(backend.name(), backend.auth().type());
			}
		}
		return new OAuthMemberCredentials(Map.copyOf(endpoints), Map.copyOf(types), tokens, clock);
	}

	@Override
	public Optional<String> authorization(BackendDefinition backend) {
		TokenEndpoint endpoint = this.endpoints.get(backend.name());
		if (endpoint == null) {
			return Optional.empty();
		}
		OAuth2AuthorizeRequest request = authorizeRequest(endpoint);
		Key key = new Key(backend.name(), request.getPrincipal().getName());
		OAuth2AccessToken token = once(key, () -> authorize(endpoint, request)).getAccessToken();
		return Optional.of(token.getTokenType().getValue() + " " + token.getTokenValue());
	}

	@Override
	public void refused(BackendDefinition backend, String authorization) {
		TokenEndpoint endpoint = this.endpoints.get(backend.name());
		if (endpoint == null) {
			return;
		}
		String principal = principal(endpoint);
		String tokenValue = authorization.substring(authorization.indexOf(' ') + 1);
		this.tokens.forget(backend.name(), principal, tokenValue);
	}

	/** How many members' tokens this pod holds now. */
	public long size() {
		return this.tokens.size();
	}

	private OAuth2AuthorizeRequest authorizeRequest(TokenEndpoint endpoint) {
		OAuth2AuthorizeRequest.Builder request = OAuth2AuthorizeRequest.withClientRegistrationId(endpoint.member());
		if (this.types.get(endpoint.member()) != MemberAuth.Type.TOKEN_EXCHANGE) {
			return request.principal(GATEWAY).build();
		}
		MemberCaller caller = presentingCaller(endpoint);
		String token = caller.token();
		return request.principal(callerPrincipal(caller))
			.attribute(TokenEndpoint.SUBJECT_TOKEN,
					new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token, null, caller.tokenExpiresAt()))
			.build();
	}

	private String principal(TokenEndpoint endpoint) {
		if (this.types.get(endpoint.member()) != MemberAuth.Type.TOKEN_EXCHANGE) {
			return GATEWAY;
		}
		return callerPrincipal(presentingCaller(endpoint));
	}

	/**
	 * The caller whose token is exchanged: only one that presented a token still valid. A
	 * stream that outlives its caller's token cannot be opened again with it.
	 */
	private MemberCaller presentingCaller(TokenEndpoint endpoint) {
		MemberCaller caller = MemberCaller.current()
			.orElseThrow(() -> new MemberCredentialsException("Backend " + endpoint.member()
					+ " is reached with the caller's identity, and this request has no caller"));
		if (!caller.hasTokenValidAt(this.clock.instant())) {
			throw new MemberCredentialsException("Backend " + endpoint.member()
					+ " is reached with the caller's identity, and the caller's token has expired"
					+ " (a new request of the caller's brings a new one)");
		}
		return caller;
	}

	/**
	 * The caller's binding with a digest of its token: a token exchanged for another
	 * token of the same caller (other scopes, say) is never handed out for this one.
	 */
	private static String callerPrincipal(MemberCaller caller) {
		return caller.owner() + "/" + digest(caller.token());
	}

	private OAuth2AuthorizedClient authorize(TokenEndpoint endpoint, OAuth2AuthorizeRequest request) {
		OAuth2AuthorizedClient client;
		try {
			client = endpoint.manager().authorize(request);
		}
		catch (OAuth2AuthorizationException ex) {
			throw refusal(endpoint, describe(ex), ex);
		}
		catch (RuntimeException ex) {
			throw refusal(endpoint, ex.getMessage(), ex);
		}
		if (client == null) {
			throw refusal(endpoint, "no token was given", null);
		}
		return client;
	}

	/** One request to the token endpoint for any number of requests that need it. */
	private OAuth2AuthorizedClient once(Key key, Supplier<OAuth2AuthorizedClient> authorize) {
		CompletableFuture<OAuth2AuthorizedClient> mine = new CompletableFuture<>();
		CompletableFuture<OAuth2AuthorizedClient> running = this.inFlight.putIfAbsent(key, mine);
		if (running != null) {
			return join(running);
		}
		try {
			OAuth2AuthorizedClient client = authorize.get();
			mine.complete(client);
			return client;
		}
		catch (RuntimeException ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.inFlight.remove(key, mine);
		}
	}

	private static OAuth2AuthorizedClient join(CompletableFuture<OAuth2AuthorizedClient> running) {
		try {
			return running.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	private static MemberCredentialsException refusal(TokenEndpoint endpoint, @Nullable String reason,
			@Nullable Exception cause) {
		String message = "Backend " + endpoint.member() + ": no token could be obtained for it (" + endpoint.grant()
				+ "): " + reason;
		return (cause != null) ? new MemberCredentialsException(message, cause)
				: new MemberCredentialsException(message);
	}

	/**
	 * The authorization server's error as RFC 6749 names it, also when it came with a
	 * status other than 400 (a 401 for a client that failed to authenticate), which
	 * Spring's token clients report as an unreadable answer.
	 */
	private static String describe(OAuth2AuthorizationException ex) {
		OAuth2Error error = ex.getError();
		RestClientResponseException answer = answer(ex);
		if (answer != null) {
			JsonNode body = parse(answer.getResponseBodyAsString());
			if (body.path("error").isString()) {
				error = new OAuth2Error(body.path("error").asString(),
						body.path("error_description").isString() ? body.path("error_description").asString() : null,
						null);
			}
		}
		return "[" + error.getErrorCode() + "]"
				+ ((error.getDescription() != null) ? " " + error.getDescription() : "");
	}

	private static @Nullable RestClientResponseException answer(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RestClientResponseException answer) {
				return answer;
			}
		}
		return null;
	}

	private static JsonNode parse(String body) {
		try {
			return JSON.readTree(body);
		}
		catch (JacksonException ex) {
			return JSON.missingNode();
		}
	}

	private static String digest(@Nullable String token) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256")
				.digest(String.valueOf(token).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is unavailable", ex);
		}
	}

	/**
	 * @param member the member
	 * @param principal whom the token is for
	 */
	private record Key(String member, String principal) {
	}

}
