package dev.vmcp.sessions.session;

/**
 * Who is calling, as far as sessions care.
 *
 * @param owner the caller's owner binding (HMAC of issuer and subject, or
 * {@value #ANONYMOUS})
 * @param admin whether the caller may read and terminate any session
 */
public record Caller(String owner, boolean admin) {

	/** Owner binding of sessions created without an identity. */
	public static final String ANONYMOUS = "anonymous";

	public static Caller anonymous() {
		return new Caller(ANONYMOUS, false);
	}

	/** Whether this caller may see or change a session owned by {@code sessionOwner}. */
	public boolean mayAccess(String sessionOwner) {
		return this.admin || this.owner.equals(sessionOwner);
	}

}
