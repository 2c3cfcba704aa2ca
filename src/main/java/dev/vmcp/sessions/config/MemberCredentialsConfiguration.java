package dev.vmcp.sessions.config;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.MemberAuth;
import dev.vmcp.sessions.credentials.OAuthMemberCredentials;

/**
 * Members' own tokens ({@code vmcp.backends[i].auth}), obtained with Spring Security's
 * OAuth 2.0 client and kept per pod ({@code vmcp.member-credentials}).
 */
@Configuration(proxyBeanMethods = false)
class MemberCredentialsConfiguration {

	/**
	 * @throws IllegalStateException naming the property, when a member takes the caller's
	 * identity while callers present no token (JWT mode is off)
	 */
	@Bean
	OAuthMemberCredentials memberCredentials(BackendProperties backends, MemberCredentialsProperties properties,
			ObjectProvider<JwtDecoder> jwtDecoder, Clock clock) {
		List<BackendDefinition> definitions = backends.definitions();
		if (jwtDecoder.getIfAvailable() == null) {
			requireNoTokenExchange(definitions);
		}
		return OAuthMemberCredentials.of(definitions, properties.capacity(), properties.renewBefore(), clock);
	}

	@Bean
	Gauge memberTokensGauge(MeterRegistry registry, OAuthMemberCredentials credentials) {
		return Gauge.builder("vmcp.member.tokens", credentials, OAuthMemberCredentials::size)
			.description("Members' own tokens this pod holds (per caller with token exchange)")
			.register(registry);
	}

	private static void requireNoTokenExchange(List<BackendDefinition> definitions) {
		for (int index = 0; index < definitions.size(); index++) {
			if (definitions.get(index).auth().type() == MemberAuth.Type.TOKEN_EXCHANGE) {
				throw new IllegalStateException("vmcp.backends[" + index + "].auth.type is token-exchange, "
						+ "which exchanges the caller's token: it needs JWT mode "
						+ "(spring.security.oauth2.resourceserver.jwt.*), and callers present no token without it");
			}
		}
	}

}
