package dev.vmcp.sessions.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The resolver gives what Spring Security's default resolver gives, header by header: the
 * same token, no token, or the same refusal.
 */
class HeaderBearerTokenResolverTests {

	private final BearerTokenResolver resolver = new HeaderBearerTokenResolver();

	private final BearerTokenResolver reference = new DefaultBearerTokenResolver();

	@Test
	void readsTheTokenOfABearerHeaderInAnyCase() {
		assertThat(this.resolver.resolve(request("Bearer abc.DEF-12_~+/=="))).isEqualTo("abc.DEF-12_~+/==");
		assertThat(this.resolver.resolve(request("bearer abc"))).isEqualTo("abc");
		assertThat(this.resolver.resolve(request("BEARER abc"))).isEqualTo("abc");
	}

	@Test
	void findsNoTokenWithoutTheHeaderOrUnderAnotherScheme() {
		assertThat(this.resolver.resolve(new MockHttpServletRequest())).isNull();
		assertThat(this.resolver.resolve(request("Basic dXNlcjpwYXNz"))).isNull();
		assertThat(this.resolver.resolve(request("DPoP abc"))).isNull();
	}

	@Test
	void refusesMalformedBearerHeaders() {
		for (String malformed : List.of("Bearer", "Bearer ", "Bearer  abc", "Bearer abc def", "Bearer =abc",
				"Bearer ab=c", "Bearer abc\t", "Bearer a\u00e9", "Bearerabc", "Bearer abc ")) {
			assertThatThrownBy(() -> this.resolver.resolve(request(malformed))).as(malformed)
				.isInstanceOf(OAuth2AuthenticationException.class)
				.hasMessageContaining("malformed");
		}
	}

	@Test
	void agreesWithTheDefaultResolverOnRandomHeaders() {
		Random random = new Random(7);
		String alphabet = "Bb earEAR-._~+/=0aZ \t\u00e9:";
		List<String> headers = new ArrayList<>();
		for (int i = 0; i < 20_000; i++) {
			StringBuilder header = new StringBuilder(random.nextBoolean() ? "Bearer " : "");
			int length = random.nextInt(12);
			for (int j = 0; j < length; j++) {
				header.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			headers.add(header.toString());
		}
		for (String header : headers) {
			assertThat(outcome(this.resolver, header)).as("'%s'", header).isEqualTo(outcome(this.reference, header));
		}
	}

	private static String outcome(BearerTokenResolver resolver, String header) {
		try {
			return "token " + resolver.resolve(request(header));
		}
		catch (OAuth2AuthenticationException ex) {
			return "refused " + ex.getError().getErrorCode() + " " + ex.getError().getDescription();
		}
	}

	private static MockHttpServletRequest request(String authorization) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/sessions/x");
		request.addHeader("Authorization", authorization);
		return request;
	}

}
