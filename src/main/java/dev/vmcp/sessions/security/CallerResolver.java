package dev.vmcp.sessions.security;

import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import dev.vmcp.sessions.session.Caller;

/**
 * Turns the authenticated principal of a request into a {@link Caller}.
 * <p>
 * With a JWT issuer configured, the caller is bound to the token's (iss, sub) and is an
 * administrator with scope {@value #ADMIN_SCOPE}. Without one, the service is anonymous
 * and a request presenting credentials is refused rather than silently treated as
 * anonymous.
 */
public final class CallerResolver {

	/** Scope that lets a caller read and terminate any session. */
	public static final String ADMIN_SCOPE = "sessions:admin";

	private static final String ADMIN_AUTHORITY = "SCOPE_" + ADMIN_SCOPE;

	private final OwnerBindings bindings;

	private final boolean jwtEnabled;

	public CallerResolver(OwnerBindings bindings, boolean jwtEnabled) {
		this.bindings = bindings;
		this.jwtEnabled = jwtEnabled;
	}

	/**
	 * The caller of {@code request}.
	 * @throws UnverifiableCredentialsException when credentials are presented to an
	 * anonymous service
	 */
	public Caller resolve(HttpServletRequest request) {
		if (!this.jwtEnabled) {
			if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
				throw new UnverifiableCredentialsException("This service runs without an identity provider and "
						+ "accepts no credentials; send the request without an Authorization header");
			}
			return Caller.anonymous();
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (!(authentication instanceof JwtAuthenticationToken token)) {
			throw new IllegalStateException("An authenticated JWT is required on every /api request");
		}
		Jwt jwt = token.getToken();
		if (jwt.getSubject() == null) {
			throw new UnverifiableCredentialsException("The token has no subject (sub) to bind sessions to");
		}
		boolean admin = token.getAuthorities().stream().anyMatch((a) -> ADMIN_AUTHORITY.equals(a.getAuthority()));
		String issuer = issuer(jwt);
		return new Caller(this.bindings.bind(issuer, jwt.getSubject()), admin, issuer, jwt.getSubject(),
				jwt.getClaims());
	}

	/**
	 * The token's issuer as a string: an issuer need not be a URL ("urn:example:idp"),
	 * and a URL issuer gives the same string, so bindings do not change.
	 */
	static String issuer(Jwt jwt) {
		return Objects.requireNonNullElse(jwt.getClaimAsString(JwtClaimNames.ISS), "");
	}

}
