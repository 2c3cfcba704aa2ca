package dev.vmcp.sessions.security;

import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Lets a request through when its caller is authenticated and the token holds every
 * required scope (as {@code SCOPE_} authorities, the way Spring Security maps the
 * {@code scope} and {@code scp} claims). Without authentication the refusal is a plain
 * denial, which becomes a 401; a caller lacking a scope is refused with
 * {@link MissingScopes}, which names them for the 403's challenge. Thread-safe.
 */
public final class RequiredScopes implements AuthorizationManager<RequestAuthorizationContext> {

	private static final AuthorizationDecision GRANTED = new AuthorizationDecision(true);

	private static final AuthorizationDecision UNAUTHENTICATED = new AuthorizationDecision(false);

	private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

	private final List<String> scopes;

	private final List<String> authorities;

	/**
	 * @param scopes the scopes every token must hold; none lets any authenticated caller
	 * in
	 */
	public RequiredScopes(List<String> scopes) {
		this.scopes = List.copyOf(scopes);
		this.authorities = this.scopes.stream().map((scope) -> "SCOPE_" + scope).toList();
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication caller = authentication.get();
		if (!this.trust.isAuthenticated(caller)) {
			return UNAUTHENTICATED;
		}
		if (this.authorities.isEmpty() || holdsEvery(caller)) {
			return GRANTED;
		}
		return new MissingScopes(this.scopes);
	}

	private boolean holdsEvery(Authentication caller) {
		List<String> held = caller.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
		return held.containsAll(this.authorities);
	}

	/**
	 * A refusal because the token lacks a required scope.
	 *
	 * @param scopes every scope the gateway requires, the ones the token holds included:
	 * what a client must ask its authorization server for
	 */
	public record MissingScopes(List<String> scopes) implements AuthorizationResult {

		@Override
		public boolean isGranted() {
			return false;
		}

	}

}
