package dev.vmcp.sessions.backend;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How the gateway obtains a member's own token, if it takes one
 * ({@code vmcp.backends[i].auth}).
 *
 * @param type none, the gateway's own identity (client credentials) or the caller's
 * (token exchange)
 * @param tokenUri the authorization server's token endpoint
 * @param clientId the gateway's client id at the authorization server
 * @param clientSecret the gateway's client secret there
 * @param clientAuthentication how the client authenticates at the token endpoint
 * @param audience the {@code audience} asked for (the member's logical name at the
 * authorization server), if any
 * @param resource the {@code resource} asked for (RFC 8707: the member's URI), if any
 * @param scopes the scopes asked for
 */
public record MemberAuth(Type type, @Nullable URI tokenUri, String clientId, String clientSecret,
		ClientAuthentication clientAuthentication, @Nullable String audience, @Nullable URI resource,
		List<String> scopes) {

	/** A member that takes no token of its own (static headers at most). */
	public static final MemberAuth NONE = new MemberAuth(Type.NONE, null, "", "",
			ClientAuthentication.CLIENT_SECRET_BASIC, null, null, List.of());

	public MemberAuth {
		scopes = List.copyOf(scopes);
	}

	/** Never shows the client secret. */
	@Override
	public String toString() {
		return "MemberAuth[" + this.type + ", " + this.tokenUri + ", " + this.clientId + "]";
	}

	/** Whose identity a member's token carries. */
	public enum Type {

		/** No token of its own. */
		NONE,

		/** The gateway's own: one token per member, shared by every caller. */
		CLIENT_CREDENTIALS,

		/**
		 * The caller's: each caller's token exchanged for one of the member (RFC 8693).
		 */
		TOKEN_EXCHANGE;

		/** Whether the member's token carries the caller's identity. */
		public boolean perCaller() {
			return this == TOKEN_EXCHANGE;
		}

	}

	/** How the gateway authenticates at the token endpoint. */
	public enum ClientAuthentication {

		/** HTTP Basic with the client id and secret. */
		CLIENT_SECRET_BASIC,

		/** The client id and secret in the form body. */
		CLIENT_SECRET_POST

	}

}
