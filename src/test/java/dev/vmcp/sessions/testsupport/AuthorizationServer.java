package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real OAuth 2.0 authorization server in this JVM, on {@code 127.0.0.1} and a free
 * port: Spring Authorization Server with its Boot auto-configuration (token endpoint, JWK
 * set, discovery), its clients registered by the test, client credentials and token
 * exchange (RFC 8693) among the grants. A token's {@code aud} is what the request asked
 * for ({@code audience} and {@code resource}), else the client's id; its {@code sub} is
 * the client's id for client credentials and the subject token's for token exchange.
 * Every token request is logged for tests to count.
 */
public final class AuthorizationServer implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ConfigurableApplicationContext context;

	private final RegisteredClientRepository clients;

	private final List<TokenRequest> tokenRequests;

	private final HttpClient http = HttpClient.newHttpClient();

	private AuthorizationServer(ConfigurableApplicationContext context, RegisteredClientRepository clients,
			List<TokenRequest> tokenRequests) {
		this.context = context;
		this.clients = clients;
		this.tokenRequests = tokenRequests;
	}

	/** Starts a server with these clients registered. */
	public static AuthorizationServer start(RegisteredClient... clients) {
		InMemoryRegisteredClientRepository repository = new InMemoryRegisteredClientRepository(clients);
		List<TokenRequest> log = new CopyOnWriteArrayList<>();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.initializers((initializing) -> {
				initializing.getBeanFactory().registerSingleton("registeredClientRepository", repository);
				initializing.getBeanFactory().registerSingleton("tokenRequestLogging", tokenRequestLogging(log));
			})
			// Not the gateway's application.yml
			.properties("spring.config.name=authorization-server", "server.port=0", "server.address=127.0.0.1",
					"spring.main.banner-mode=off", "logging.level.root=warn")
			.run();
		return new AuthorizationServer(context, repository, log);
	}

	/** Before Spring Security: sees every token request, answered or refused. */
	private static FilterRegistrationBean<Filter> tokenRequestLogging(List<TokenRequest> log) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new TokenRequestLogging(log));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.addUrlPatterns("/oauth2/token");
		return registration;
	}

	/**
	 * A confidential client (secret checked with HTTP Basic or in the form) with these
	 * grants; tokens live five minutes.
	 */
	public static RegisteredClient client(String clientId, String secret, AuthorizationGrantType... grants) {
		return RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(clientId)
			.clientSecret("{noop}" + secret)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.authorizationGrantTypes((types) -> types.addAll(List.of(grants)))
			.build();
	}

	/** The issuer, as tokens name it and as resource servers are configured with. */
	public String issuer() {
		return "http://127.0.0.1:" + this.context.getEnvironment().getProperty("local.server.port");
	}

	public URI tokenUri() {
		return URI.create(issuer() + "/oauth2/token");
	}

	public URI jwkSetUri() {
		return URI.create(issuer() + "/oauth2/jwks");
	}

	/** A token for the client itself (its id as subject), for {@code audience}. */
	public String clientCredentialsToken(String clientId, String secret, String audience) {
		String form = "grant_type=client_credentials&audience=" + URLEncoder.encode(audience, StandardCharsets.UTF_8);
		String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(tokenUri())
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Authorization", "Basic " + basic)
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("No token for " + clientId + ": " + response.body());
			}
			return JSON.readTree(response.body()).path("access_token").asString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Gives a registered client another secret: the old one is refused from now on. */
	public void changeSecret(String clientId, String newSecret) {
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null) {
			throw new IllegalArgumentException("No client " + clientId);
		}
		this.clients.save(RegisteredClient.from(client).clientSecret("{noop}" + newSecret).build());
	}

	/** Every token request answered so far, oldest first. */
	public List<TokenRequest> tokenRequests() {
		return List.copyOf(this.tokenRequests);
	}

	/** The token exchanges answered with a token so far, for the subject token given. */
	public List<TokenRequest> exchangesOf(String subjectToken) {
		return tokenRequests().stream()
			.filter((request) -> request.isTokenExchange() && request.status() == 200
					&& subjectToken.equals(request.subjectToken()))
			.toList();
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * One request to the token endpoint.
	 *
	 * @param grantType its {@code grant_type}
	 * @param clientId the client that authenticated (HTTP Basic or form)
	 * @param audience its {@code audience}, or empty
	 * @param resource its {@code resource}, or empty
	 * @param subjectToken its {@code subject_token} (token exchange), or empty
	 * @param status the HTTP status it was answered with
	 */
	public record TokenRequest(String grantType, String clientId, String audience, String resource, String subjectToken,
			int status) {

		public boolean isTokenExchange() {
			return AuthorizationGrantType.TOKEN_EXCHANGE.getValue().equals(this.grantType);
		}

		/** Whether a token was asked for {@code target}, as audience or resource. */
		public boolean isFor(String target) {
			return target.equals(this.audience) || target.equals(this.resource);
		}

	}

	/**
	 * The server's configuration: Spring Boot's auto-configuration of a servlet web
	 * server with Spring Security and Spring Authorization Server, and nothing else (not
	 * a configuration class, so that the gateway's component scan of test classes never
	 * picks it up).
	 */
	@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class,
			ConfigurationPropertiesAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
			HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
			SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
			SecurityFilterAutoConfiguration.class, OAuth2AuthorizationServerAutoConfiguration.class,
			OAuth2AuthorizationServerJwtAutoConfiguration.class })
	static class Application {

		/**
		 * The authorizations of tokens issued, in memory. A client-credentials token's
		 * carries its client as the principal, as a user's token would carry the user:
		 * token exchange takes only subject tokens with a principal, and here the callers
		 * are clients.
		 */
		@Bean
		OAuth2AuthorizationService authorizationService() {
			return new ClientsAsPrincipals(new InMemoryOAuth2AuthorizationService());
		}

		/** A token's audience is what was asked for, as the members check it. */
		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> requestedAudience() {
			return (context) -> {
				Set<String> requested = new LinkedHashSet<>();
				if (context.getAuthorizationGrant() instanceof OAuth2TokenExchangeAuthenticationToken exchange) {
					requested.addAll(exchange.getAudiences());
					requested.addAll(exchange.getResources());
				}
				else if (context
					.getAuthorizationGrant() instanceof OAuth2ClientCredentialsAuthenticationToken credentials) {
					requested.addAll(values(credentials.getAdditionalParameters().get("audience")));
					requested.addAll(values(credentials.getAdditionalParameters().get("resource")));
				}
				if (!requested.isEmpty()) {
					context.getClaims().audience(List.copyOf(requested));
				}
			};
		}

		private static Collection<String> values(@Nullable Object parameter) {
			if (parameter instanceof String value) {
				return List.of(value);
			}
			if (parameter instanceof String[] values) {
				return List.of(values);
			}
			return List.of();
		}

	}

	/** Stores client-credentials authorizations with their client as the principal. */
	private record ClientsAsPrincipals(
			OAuth2AuthorizationService authorizations) implements OAuth2AuthorizationService {

		@Override
		public void save(OAuth2Authorization authorization) {
			OAuth2Authorization saved = authorization;
			if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())
					&& authorization.getAttribute(Principal.class.getName()) == null) {
				saved = OAuth2Authorization.from(authorization)
					.attribute(Principal.class.getName(),
							UsernamePasswordAuthenticationToken.authenticated(authorization.getPrincipalName(), null,
									List.of()))
					.build();
			}
			this.authorizations.save(saved);
		}

		@Override
		public void remove(OAuth2Authorization authorization) {
			this.authorizations.remove(authorization);
		}

		@Override
		public @Nullable OAuth2Authorization findById(String id) {
			return this.authorizations.findById(id);
		}

		@Override
		public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
			return this.authorizations.findByToken(token, tokenType);
		}

	}

	/** Logs each token request with the status it was answered with. */
	private static final class TokenRequestLogging extends OncePerRequestFilter {

		private final List<TokenRequest> log;

		TokenRequestLogging(List<TokenRequest> log) {
			this.log = log;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Map<String, String> form = request.getParameterMap()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue()[0]));
			AtomicBoolean logged = new AtomicBoolean();
			Runnable log = () -> {
				if (logged.compareAndSet(false, true)) {
					this.log.add(new TokenRequest(form.getOrDefault("grant_type", ""), clientId(request, form),
							form.getOrDefault("audience", ""), form.getOrDefault("resource", ""),
							form.getOrDefault("subject_token", ""), response.getStatus()));
				}
			};
			// Logged before the answer is written: whoever got it finds it in the log
			HttpServletResponseWrapper logging = new HttpServletResponseWrapper(response) {
				@Override
				public ServletOutputStream getOutputStream() throws IOException {
					log.run();
					return super.getOutputStream();
				}

				@Override
				public PrintWriter getWriter() throws IOException {
					log.run();
					return super.getWriter();
				}
			};
			try {
				chain.doFilter(request, logging);
			}
			finally {
				log.run();
			}
		}

		private static String clientId(HttpServletRequest request, Map<String, String> form) {
			String authorization = request.getHeader("Authorization");
			if (authorization != null && authorization.startsWith("Basic ")) {
				String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)),
						StandardCharsets.UTF_8);
				return URLDecoder.decode(decoded.substring(0, decoded.indexOf(':')), StandardCharsets.UTF_8);
			}
			return form.getOrDefault("client_id", "");
		}

	}

}
