package dev.vmcp.sessions.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.vmcp.sessions.backend.MemberCaller;

/**
 * Binds, for the time of a request, the caller members are called for
 * ({@link MemberCaller}): its owner binding and the token it presented, which a member
 * reached with the caller's identity gets exchanged. Runs after Spring Security's filters
 * have verified the token; a request without a verified token binds nobody.
 */
public final class MemberCallerFilter extends OncePerRequestFilter {

	private final OwnerBindings bindings;

	public MemberCallerFilter(OwnerBindings bindings) {
		this.bindings = bindings;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (!(authentication instanceof JwtAuthenticationToken token) || token.getToken().getSubject() == null) {
			chain.doFilter(request, response);
			return;
		}
		Jwt jwt = token.getToken();
		MemberCaller caller = new MemberCaller(this.bindings.bind(CallerResolver.issuer(jwt), jwt.getSubject()),
				jwt.getTokenValue(), jwt.getExpiresAt());
		MemberCaller.Binding binding = MemberCaller.bind(caller);
		try {
			chain.doFilter(request, response);
		}
		finally {
			binding.close();
		}
	}

}
