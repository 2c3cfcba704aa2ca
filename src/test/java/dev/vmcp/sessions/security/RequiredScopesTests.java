package dev.vmcp.sessions.security;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who {@link RequiredScopes} lets through, and how it says why it refused.
 */
class RequiredScopesTests {

	private final RequiredScopes required = new RequiredScopes(List.of("mcp:read", "mcp:call"));

	@Test
	void aCallerHoldingEveryRequiredScopeIsLetThrough() {
		assertThat(authorize(this.required, caller("SCOPE_mcp:call", "SCOPE_sessions:admin", "SCOPE_mcp:read"))
			.isGranted()).isTrue();
	}

	@Test
	void aCallerLackingOneIsRefusedWithEveryRequiredScope() {
		AuthorizationResult result = authorize(this.required, caller("SCOPE_mcp:read", "SCOPE_sessions:admin"));
		assertThat(result).isEqualTo(new RequiredScopes.MissingScopes(List.of("mcp:read", "mcp:call")));
		assertThat(result.isGranted()).isFalse();
	}

	@Test
	void aCallerWithoutAuthenticationIsRefusedWithoutNamingScopes() {
		AuthorizationResult anonymous = authorize(this.required, new AnonymousAuthenticationToken("key", "anonymous",
				AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
		assertThat(anonymous.isGranted()).isFalse();
		assertThat(anonymous).isNotInstanceOf(RequiredScopes.MissingScopes.class);
		assertThat(authorize(this.required, null).isGranted()).isFalse();
	}

	@Test
	void withoutRequiredScopesAnyAuthenticatedCallerIsLetThrough() {
		RequiredScopes none = new RequiredScopes(List.of());
		assertThat(authorize(none, caller()).isGranted()).isTrue();
		assertThat(authorize(none, null).isGranted()).isFalse();
	}

	private static AuthorizationResult authorize(RequiredScopes scopes, Authentication authentication) {
		return scopes.authorize(() -> authentication, null);
	}

	private static Authentication caller(String... authorities) {
		TestingAuthenticationToken caller = new TestingAuthenticationToken("alice", "n/a", authorities);
		caller.setAuthenticated(true);
		return caller;
	}

}
