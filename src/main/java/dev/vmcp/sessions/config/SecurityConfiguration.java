package dev.vmcp.sessions.config;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.MemberAuth;
import dev.vmcp.sessions.security.CallerResolver;
import dev.vmcp.sessions.security.HeaderBearerTokenResolver;
import dev.vmcp.sessions.security.HeaderCharacters;
import dev.vmcp.sessions.security.MemberCallerFilter;
import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.security.ProblemAuthenticationEntryPoint;
import dev.vmcp.sessions.security.RememberedJwtDecoder;
import dev.vmcp.sessions.security.RequiredScopes;

/**
 * JWT resource server when {@code spring.security.oauth2.resourceserver.jwt.*} is
 * configured (Spring Boot then provides a {@link JwtDecoder}); anonymous otherwise. In
 * JWT mode a token must be issued for this gateway (its audience) and hold the required
 * scopes ({@code vmcp.jwt.*}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

	private static final int GENERATED_SECRET_BYTES = 32;

	/**
	 * No observation around the security filter chain and each of its filters: on every
	 * request they cost more than the filters themselves. {@code http.server.requests}
	 * still times every request, security included.
	 */
	@Bean
	SecurityObservationSettings noSecurityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Whatever {@link JwtDecoder} Spring Boot builds from
	 * {@code spring.security.oauth2.resourceserver.jwt.*} remembers the tokens it
	 * verified ({@code vmcp.jwt.*}). Static: it must exist before the decoder does.
	 */
	@Bean
	static BeanPostProcessor rememberVerifiedTokens(ObjectProvider<JwtProperties> properties) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (!(bean instanceof JwtDecoder decoder) || bean instanceof RememberedJwtDecoder) {
					return bean;
				}
				JwtProperties remembering = properties.getObject();
				if (remembering.rememberVerifiedFor().isZero()) {
					return bean;
				}
				return new RememberedJwtDecoder(decoder, remembering.rememberVerifiedFor(),
						remembering.rememberedTokens(), Clock.systemUTC(), Ticker.systemTicker());
			}
		};
	}

	/**
	 * The default firewall with its header rules checked by loops instead of regular
	 * expressions (the same rules): it checks a header each time one is read.
	 */
	@Bean
	WebSecurityCustomizer headerCheckingFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(HeaderCharacters::isAllowedName);
		firewall.setAllowedHeaderValues(HeaderCharacters::isAllowedValue);
		return (web) -> web.httpFirewall(firewall);
	}

	@Bean
	ProblemAuthenticationEntryPoint problemAuthenticationEntryPoint(JsonMapper jsonMapper) {
		return new ProblemAuthenticationEntryPoint(jsonMapper);
	}

	@Bean
	TokenAudiences tokenAudiences(JwtProperties properties, Environment environment) {
		return TokenAudiences.of(properties, environment);
	}

	/**
	 * A token must name one of the {@link TokenAudiences}. Spring Boot adds every such
	 * validator bean to the issuer and timestamp validators of the decoder it builds, so
	 * the check happens inside the decoder that {@link RememberedJwtDecoder} wraps: a
	 * remembered token passed it.
	 */
	@Bean
	OAuth2TokenValidator<Jwt> audienceValidator(TokenAudiences audiences) {
		return audiences.validator();
	}

	/**
	 * What the protected resource metadata says of tokens: the resource they must be
	 * issued for (the audience), and the scopes they must hold.
	 */
	@Bean
	Consumer<OAuth2ProtectedResourceMetadata.Builder> tokenResourceDescription(TokenAudiences audiences,
			JwtProperties properties) {
		return (resource) -> {
			audiences.resource().ifPresent(resource::resource);
			resource.scopes((scopes) -> scopes.addAll(properties.requiredScopes()));
		};
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, ObjectProvider<JwtDecoder> jwtDecoder,
			ProblemAuthenticationEntryPoint problems, TokenAudiences audiences, JwtProperties jwtProperties,
			ObjectProvider<Consumer<OAuth2ProtectedResourceMetadata.Builder>> resourceDescriptions) throws Exception {
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			// The bean named corsConfigurationSource (CORS on /mcp only): preflights are
			// answered here, before they could be asked for a token
			.cors(Customizer.withDefaults())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		if (jwtDecoder.getIfAvailable() != null) {
			audiences.requireConfigured();
			RequiredScopes requiredScopes = new RequiredScopes(jwtProperties.requiredScopes());
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/api/**", "/mcp")
				.access(requiredScopes)
				.anyRequest()
				.permitAll())
				.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults())
					.bearerTokenResolver(new HeaderBearerTokenResolver())
					.protectedResourceMetadata((metadata) -> metadata.protectedResourceMetadataCustomizer(
							(resource) -> resourceDescriptions.forEach((describe) -> describe.accept(resource))))
					.authenticationEntryPoint(problems)
					.accessDeniedHandler(problems));
		}
		else {
			// Nothing to authenticate or authorize: only the firewall, the security
			// headers and the problem answers stay, and no filter runs per request for
			// an anonymous token or a request wrapper that nothing reads.
			http.anonymous(AbstractHttpConfigurer::disable).servletApi(AbstractHttpConfigurer::disable);
		}
		return http.build();
	}

	@Bean
	OwnerBindings ownerBindings(SessionProperties properties) {
		String secret = properties.bindingSecret();
		if (secret != null && !secret.isBlank()) {
			return new OwnerBindings(secret.getBytes(StandardCharsets.UTF_8));
		}
		if (properties.store() == SessionProperties.StoreType.REDIS) {
			throw new IllegalStateException("vmcp.session.binding-secret must be set when vmcp.session.store=redis: "
					+ "every pod must compute the same owner bindings");
		}
		logger.info("No vmcp.session.binding-secret set; using a random one (fine for the single-pod memory store)");
		byte[] generated = new byte[GENERATED_SECRET_BYTES];
		new SecureRandom().nextBytes(generated);
		return new OwnerBindings(generated);
	}

	/**
	 * After Spring Security's filters, which verify the token: members reached with the
	 * caller's identity get that caller's token exchanged. Without such a member, nothing
	 * reads the bound caller: the filter stays off, and requests pay for neither its
	 * binding nor its hand-over to other threads.
	 */
	@Bean
	FilterRegistrationBean<MemberCallerFilter> memberCallerFilter(OwnerBindings ownerBindings,
			BackendProperties backends) {
		FilterRegistrationBean<MemberCallerFilter> registration = new FilterRegistrationBean<>(
				new MemberCallerFilter(ownerBindings));
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
		registration.addUrlPatterns("/mcp", "/api/*");
		registration.setEnabled(backends.backends()
			.stream()
			.anyMatch((backend) -> backend.auth().type() == MemberAuth.Type.TOKEN_EXCHANGE));
		return registration;
	}

	@Bean
	CallerResolver callerResolver(OwnerBindings ownerBindings, ObjectProvider<JwtDecoder> jwtDecoder) {
		return new CallerResolver(ownerBindings, jwtDecoder.getIfAvailable() != null);
	}

}
