package dev.vmcp.sessions.mcp;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Protects {@code /mcp} against DNS rebinding: a request whose {@code Host} or
 * {@code Origin} is not allowed gets 403 before anything else happens. The backends never
 * see the client's headers, so this is the gateway's job. Hosts are matched by name (any
 * port); origins by scheme and host (any port) or exactly, port included. A request
 * without {@code Origin} does not come from a browser page and passes that check.
 */
public final class HostOriginGuard extends OncePerRequestFilter {

	private static final String ANY = "*";

	private final List<String> allowedHosts;

	private final List<String> allowedOrigins;

	public HostOriginGuard(List<String> allowedHosts, List<String> allowedOrigins) {
		this.allowedHosts = lowerCase(allowedHosts);
		this.allowedOrigins = lowerCase(allowedOrigins);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().equals(McpEndpoint.PATH);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String host = request.getHeader("Host");
		if (!hostAllowed(host)) {
			refuse(response, "Host not allowed: " + host);
			return;
		}
		String origin = request.getHeader("Origin");
		if (origin != null && !originAllowed(origin)) {
			refuse(response, "Origin not allowed: " + origin);
			return;
		}
		chain.doFilter(request, response);
	}

	boolean hostAllowed(String host) {
		if (host == null || host.isBlank()) {
			return false;
		}
		return this.allowedHosts.contains(ANY)
				|| this.allowedHosts.contains(withoutPort(host.toLowerCase(Locale.ROOT)));
	}

	boolean originAllowed(String origin) {
		if (this.allowedOrigins.contains(ANY)) {
			return true;
		}
		String exact = origin.toLowerCase(Locale.ROOT);
		if (this.allowedOrigins.contains(exact)) {
			return true;
		}
		try {
			URI uri = new URI(exact);
			if (uri.getScheme() == null || uri.getHost() == null) {
				return false;
			}
			return this.allowedOrigins.contains(uri.getScheme() + "://" + uri.getHost());
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	private static String withoutPort(String host) {
		if (host.startsWith("[")) {
			int end = host.indexOf(']');
			return (end < 0) ? host : host.substring(0, end + 1);
		}
		int colon = host.indexOf(':');
		return (colon < 0) ? host : host.substring(0, colon);
	}

	private static void refuse(HttpServletResponse response, String reason) throws IOException {
		response.setStatus(HttpStatus.FORBIDDEN.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		String body = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":" + JsonRpc.INVALID_REQUEST
				+ ",\"message\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}";
		response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
	}

	private static List<String> lowerCase(List<String> values) {
		return values.stream().map((value) -> value.strip().toLowerCase(Locale.ROOT)).toList();
	}

}
