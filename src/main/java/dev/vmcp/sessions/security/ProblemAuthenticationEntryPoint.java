package dev.vmcp.sessions.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers authentication and authorization failures as RFC 9457 problem details, keeping
 * the {@code WWW-Authenticate} header that bearer-token clients rely on: {@code 401} with
 * {@code invalid_token} for a missing or refused token (a wrong audience included),
 * {@code 403} with {@code insufficient_scope} and the required scopes for a token that
 * lacks one. Both name the protected resource metadata.
 */
public final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

	/** Where the protected resource metadata is served. */
	public static final String RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource";

	private static final String MISSING_SCOPE_DESCRIPTION = "The token lacks a scope this gateway requires";

	private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();

	private final BearerTokenAccessDeniedHandler bearerAccessDenied = new BearerTokenAccessDeniedHandler();

	private final JsonMapper json;

	public ProblemAuthenticationEntryPoint(JsonMapper json) {
		this.json = json;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		this.bearerEntryPoint.commence(request, response, failure);
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
				withResourceMetadata(response.getHeader(HttpHeaders.WWW_AUTHENTICATE), request));
		writeProblem(request, response, HttpStatus.UNAUTHORIZED,
				"A valid bearer token is required: " + failure.getMessage());
	}

	/**
	 * A token that lacks a required scope gets the step-up challenge of the MCP
	 * authorization specification: {@code insufficient_scope}, the scopes to ask the
	 * authorization server for, and where the protected resource metadata is.
	 */
	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		if (denied instanceof AuthorizationDeniedException refusal
				&& refusal.getAuthorizationResult() instanceof RequiredScopes.MissingScopes missing) {
			String scopes = String.join(" ", missing.scopes());
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, stepUpChallenge(scopes, request));
			writeProblem(request, response, HttpStatus.FORBIDDEN,
					MISSING_SCOPE_DESCRIPTION + " (required: " + scopes + ")");
			return;
		}
		this.bearerAccessDenied.handle(request, response, denied);
		writeProblem(request, response, HttpStatus.FORBIDDEN, "The token does not allow this request");
	}

	/**
	 * Points MCP clients at the protected resource metadata (RFC 9728), where they find
	 * the authorization servers to log in with.
	 */
	private static String withResourceMetadata(@Nullable String challenge, HttpServletRequest request) {
		String base = (challenge == null || challenge.isBlank()) ? "Bearer" : challenge;
		if (base.contains("resource_metadata=")) {
			return base;
		}
		return base + (base.equals("Bearer") ? " " : ", ") + "resource_metadata=\"" + resourceMetadata(request) + "\"";
	}

	/** The scopes are scope-tokens (RFC 6749): no quote or backslash to escape. */
	private static String stepUpChallenge(String scopes, HttpServletRequest request) {
		return "Bearer error=\"insufficient_scope\", error_description=\"" + MISSING_SCOPE_DESCRIPTION + "\", scope=\""
				+ scopes + "\", resource_metadata=\"" + resourceMetadata(request) + "\"";
	}

	private static String resourceMetadata(HttpServletRequest request) {
		return ServletUriComponentsBuilder.fromContextPath(request).path(RESOURCE_METADATA_PATH).toUriString();
	}

	private void writeProblem(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String detail) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(this.json.writeValueAsBytes(problem));
	}

}
