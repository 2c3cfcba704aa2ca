package dev.vmcp.sessions.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.web.cors.CorsConfiguration;

/**
 * A CORS configuration that also allows every {@code Mcp-Param-{Name}} request header
 * (MCP 2026-07-28 lets clients send tool parameters in headers of that family): their
 * names depend on the tool, so no fixed list of allowed headers can name them, and
 * allowing any header would allow more than MCP uses.
 */
final class ParameterHeadersCorsConfiguration extends CorsConfiguration {

	private static final String PARAMETER_HEADER_PREFIX = "mcp-param-";

	@Override
	public @Nullable List<String> checkHeaders(@Nullable List<String> requestHeaders) {
		List<String> allowed = super.checkHeaders(requestHeaders);
		if (requestHeaders == null) {
			return allowed;
		}
		List<String> parameters = requestHeaders.stream()
			.map(String::strip)
			.filter(ParameterHeadersCorsConfiguration::isParameterHeader)
			.toList();
		if (parameters.isEmpty()) {
			return allowed;
		}
		List<String> all = new ArrayList<>((allowed != null) ? allowed : List.of());
		all.addAll(parameters);
		return all;
	}

	private static boolean isParameterHeader(String header) {
		return header.length() > PARAMETER_HEADER_PREFIX.length()
				&& header.toLowerCase(Locale.ROOT).startsWith(PARAMETER_HEADER_PREFIX);
	}

}
