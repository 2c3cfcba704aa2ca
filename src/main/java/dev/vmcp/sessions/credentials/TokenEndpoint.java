package dev.vmcp.sessions.credentials;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Objects;

import org.springframework.core.convert.converter.Converter;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.TokenExchangeOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.endpoint.AbstractOAuth2AuthorizationGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.RestClientTokenExchangeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.MemberAuth;

/**
 * Where one member's tokens come from: its client registration at the authorization
 * server, and Spring Security's authorized-client manager with the provider of its grant
 * (client credentials, or token exchange with the caller's token as the subject token),
 * renewing a token {@code renewBefore} ahead of its expiry. Requests to the token
 * endpoint are bounded by the member's connect and request timeouts, and ask for the
 * member's {@code audience} and {@code resource}.
 *
 * @param member the member's name
 * @param grant the grant, as messages name it
 * @param manager obtains, keeps and renews the member's tokens
 */
record TokenEndpoint(String member, String grant, OAuth2AuthorizedClientManager manager) {

	/** The attribute of an authorize request that carries the caller's token. */
	static final String SUBJECT_TOKEN = TokenEndpoint.class.getName() + ".subjectToken";

	static TokenEndpoint of(BackendDefinition backend, MemberTokens tokens, Duration renewBefore, Clock clock) {
		MemberAuth auth = backend.auth();
		ClientRegistration registration = registration(backend);
		RestClient restClient = restClient(backend);
		OAuth2AuthorizedClientProvider provider = switch (auth.type()) {
			case CLIENT_CREDENTIALS -> clientCredentials(auth, restClient, renewBefore, clock);
			case TOKEN_EXCHANGE -> tokenExchange(auth, restClient, renewBefore, clock);
			case NONE -> throw new IllegalArgumentException("Backend " + backend.name() + " takes no token");
		};
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				new InMemoryClientRegistrationRepository(registration), tokens);
		manager.setAuthorizedClientProvider(provider);
		// The subject token travels as an attribute of the request
		manager.setContextAttributesMapper((request) -> new HashMap<>(request.getAttributes()));
		String grant = ((auth.type() == MemberAuth.Type.TOKEN_EXCHANGE) ? "token exchange" : "client credentials")
				+ " at " + auth.tokenUri();
		return new TokenEndpoint(backend.name(), grant, manager);
	}

	private static ClientRegistration registration(BackendDefinition backend) {
		MemberAuth auth = backend.auth();
		return ClientRegistration.withRegistrationId(backend.name())
			.tokenUri(Objects.requireNonNull(auth.tokenUri(), "tokenUri").toString())
			.clientId(auth.clientId())
			.clientSecret(auth.clientSecret())
			.clientAuthenticationMethod(
					(auth.clientAuthentication() == MemberAuth.ClientAuthentication.CLIENT_SECRET_POST)
							? ClientAuthenticationMethod.CLIENT_SECRET_POST
							: ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType((auth.type() == MemberAuth.Type.TOKEN_EXCHANGE)
					? AuthorizationGrantType.TOKEN_EXCHANGE : AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope(auth.scopes())
			.build();
	}

	private static ClientCredentialsOAuth2AuthorizedClientProvider clientCredentials(MemberAuth auth,
			RestClient restClient, Duration renewBefore, Clock clock) {
		RestClientClientCredentialsTokenResponseClient responses = new RestClientClientCredentialsTokenResponseClient();
		responses.setRestClient(restClient);
		responses.addParametersConverter(targets(auth));
		ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
		provider.setAccessTokenResponseClient(responses);
		provider.setClockSkew(renewBefore);
		provider.setClock(clock);
		return provider;
	}

	private static TokenExchangeOAuth2AuthorizedClientProvider tokenExchange(MemberAuth auth, RestClient restClient,
			Duration renewBefore, Clock clock) {
		RestClientTokenExchangeTokenResponseClient responses = new RestClientTokenExchangeTokenResponseClient();
		responses.setRestClient(restClient);
		responses.addParametersConverter(targets(auth));
		TokenExchangeOAuth2AuthorizedClientProvider provider = new TokenExchangeOAuth2AuthorizedClientProvider();
		provider.setAccessTokenResponseClient(responses);
		provider.setSubjectTokenResolver((context) -> context.<OAuth2Token>getAttribute(SUBJECT_TOKEN));
		provider.setClockSkew(renewBefore);
		provider.setClock(clock);
		return provider;
	}

	/** The {@code audience} and {@code resource} a token is asked for, where set. */
	private static <T extends AbstractOAuth2AuthorizationGrantRequest> Converter<T, MultiValueMap<String, String>> targets(
			MemberAuth auth) {
		return (request) -> {
			MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
			if (auth.audience() != null) {
				parameters.add("audience", auth.audience());
			}
			if (auth.resource() != null) {
				parameters.add("resource", auth.resource().toString());
			}
			return parameters;
		};
	}

	/**
	 * What Spring Security's token clients use by default, with the member's timeouts: a
	 * token endpoint that hangs holds up no request longer than the member itself would.
	 */
	private static RestClient restClient(BackendDefinition backend) {
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(backend.connectTimeout()).build());
		requests.setReadTimeout(backend.requestTimeout());
		return RestClient.builder()
			.requestFactory(requests)
			.configureMessageConverters((converters) -> converters.addCustomConverter(new FormHttpMessageConverter())
				.addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter()))
			.defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
			.build();
	}

}
