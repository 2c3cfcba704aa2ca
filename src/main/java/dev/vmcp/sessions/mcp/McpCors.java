package dev.vmcp.sessions.mcp;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

/**
 * CORS on {@code /mcp}, so that MCP clients running in a browser page can use the
 * gateway: the origins of {@code vmcp.mcp.allowed-origins}, the methods of Streamable
 * HTTP, the request headers MCP defines and the response headers a client must read. No
 * credentials: clients authenticate with the {@code Authorization} header, never with
 * cookies. {@link HostOriginGuard} refuses every other origin before CORS is consulted,
 * so a foreign page gets a 403 without any {@code Access-Control-*} header.
 */
final class McpCors implements CorsConfigurationSource {

	static final List<String> METHODS = List.of("GET", "POST", "DELETE");

	static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Accept", "Authorization",
			McpEndpoint.SESSION_HEADER, McpEndpoint.PROTOCOL_HEADER, "Mcp-Method", "Mcp-Name", "Last-Event-ID");

	static final List<String> EXPOSED_HEADERS = List.of(McpEndpoint.SESSION_HEADER, "WWW-Authenticate");

	/**
	 * Spares a client most preflights, yet a change of the allowed origins reaches
	 * browsers soon (Chromium keeps a preflight two hours at most anyway).
	 */
	static final Duration PREFLIGHT_MAX_AGE = Duration.ofMinutes(30);

	private static final String ANY = "*";

	private static final String ANY_PORT = ":[*]";

	private final CorsConfiguration configuration;

	McpCors(List<String> allowedOrigins) {
		CorsConfiguration mcp = new ParameterHeadersCorsConfiguration();
		mcp.setAllowedOriginPatterns(allowedOrigins.stream().map(McpCors::originPattern).toList());
		mcp.setAllowedMethods(METHODS);
		mcp.setAllowedHeaders(REQUEST_HEADERS);
		mcp.setExposedHeaders(EXPOSED_HEADERS);
		mcp.setMaxAge(PREFLIGHT_MAX_AGE);
		this.configuration = mcp;
	}

	@Override
	public @Nullable CorsConfiguration getCorsConfiguration(HttpServletRequest request) {
		return McpEndpoint.PATH.equals(request.getRequestURI()) ? this.configuration : null;
	}

	/**
	 * Spring's origin pattern for an entry of {@code vmcp.mcp.allowed-origins}:
	 * {@code scheme://host} means any port there (and none), so it becomes
	 * {@code scheme://host:[*]}; an entry with a port, or {@code *}, stays as it is.
	 * Lower case, as browsers send origins.
	 */
	static String originPattern(String allowedOrigin) {
		String origin = allowedOrigin.strip().toLowerCase(Locale.ROOT);
		if (origin.equals(ANY)) {
			return origin;
		}
		try {
			URI uri = new URI(origin);
			return (uri.getHost() != null && uri.getPort() == -1) ? origin + ANY_PORT : origin;
		}
		catch (URISyntaxException ex) {
			return origin;
		}
	}

}
