package dev.vmcp.sessions.mcp;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.cors.CorsConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CORS configuration of {@code /mcp}: the allowed origins mean what
 * {@link HostOriginGuard} makes of them, and {@code Mcp-Param-*} headers are allowed.
 */
class McpCorsTests {

	@Test
	void anOriginWithoutPortAllowsAnyPortAndOneWithAPortOnlyThatPort() {
		CorsConfiguration configuration = mcpConfiguration(
				new McpCors(List.of("http://localhost", " HTTPS://App.Example:8443 ", "http://[::1]")));

		assertThat(configuration.checkOrigin("http://localhost")).isEqualTo("http://localhost");
		assertThat(configuration.checkOrigin("http://localhost:6274")).isEqualTo("http://localhost:6274");
		assertThat(configuration.checkOrigin("http://[::1]:3000")).isEqualTo("http://[::1]:3000");
		assertThat(configuration.checkOrigin("https://app.example:8443")).isEqualTo("https://app.example:8443");
		assertThat(configuration.checkOrigin("https://app.example")).isNull();
		assertThat(configuration.checkOrigin("https://app.example:9443")).isNull();
		assertThat(configuration.checkOrigin("https://localhost")).isNull();
		assertThat(configuration.checkOrigin("http://localhost.evil.example")).isNull();
	}

	@Test
	void anyOriginIsAllowedByStar() {
		CorsConfiguration configuration = mcpConfiguration(new McpCors(List.of("*")));

		assertThat(configuration.checkOrigin("https://anywhere.example:1234")).isNotNull();
	}

	@Test
	void parameterHeadersAreAllowedBesideTheHeadersMcpNames() {
		CorsConfiguration configuration = mcpConfiguration(new McpCors(List.of("http://localhost")));

		assertThat(configuration.checkHeaders(List.of("Content-Type", "Mcp-Param-City", "mcp-param-units")))
			.containsExactly("Content-Type", "Mcp-Param-City", "mcp-param-units");
		assertThat(configuration.checkHeaders(List.of("mcp-param-city"))).containsExactly("mcp-param-city");
		assertThat(configuration.checkHeaders(List.of("mcp-param-"))).isNull();
		assertThat(configuration.checkHeaders(List.of("x-other"))).isNull();
	}

	@Test
	void onlyTheMcpEndpointHasCors() {
		McpCors cors = new McpCors(List.of("http://localhost"));

		assertThat(cors.getCorsConfiguration(new MockHttpServletRequest("OPTIONS", "/api/v1/sessions"))).isNull();
		assertThat(cors.getCorsConfiguration(new MockHttpServletRequest("OPTIONS", "/mcp/other"))).isNull();
	}

	private static CorsConfiguration mcpConfiguration(McpCors cors) {
		CorsConfiguration configuration = cors.getCorsConfiguration(new MockHttpServletRequest("OPTIONS", "/mcp"));
		assertThat(configuration).isNotNull();
		return configuration;
	}

}
