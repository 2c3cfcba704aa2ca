package dev.vmcp.sessions.session;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Who is calling, as far as sessions care.
 *
 * @param owner the caller's owner binding (HMAC of issuer and subject, or
 * {@value #ANONYMOUS})
 * @param admin whether the caller may read and terminate any session
 * @param issuer the token's issuer ({@code iss}), or null for an anonymous caller: for
 * the audit only, never stored
 * @param subject the token's subject ({@code sub}), or null for an anonymous caller: for
 * the audit only, never stored
 * @param claims the claims of the caller's verified token, for the policies that decide
 * what the caller sees (empty for an anonymous caller), as the verified token holds them
 * (unmodifiable); never stored
 */
public record Caller(String owner, boolean admin, @Nullable String issuer, @Nullable String subject,
		Map<String, Object> claims) {

	/** Owner binding of sessions created without an identity. */
	public static final String ANONYMOUS = "anonymous";

	/** A caller known by its binding alone. */
	public Caller(String owner, boolean admin) {
		this(owner, admin, null, null, Map.of());
	}

	public static Caller anonymous() {
		return new Caller(ANONYMOUS, false);
	}

	/** Whether this caller may see or change a session owned by {@code sessionOwner}. */
	public boolean mayAccess(String sessionOwner) {
		return this.admin || this.owner.equals(sessionOwner);
	}

	/** Without the identity, which has no place in logs or messages. */
	@Override
	public String toString() {
		return "Caller[owner=" + this.owner + ", admin=" + this.admin + "]";
	}

}
