package dev.vmcp.sessions.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.MemberAuth;
import dev.vmcp.sessions.backend.MemberProtocol;

/**
 * The backend MCP servers, under {@code vmcp.backends}.
 *
 * @param backends each backend a session fans out to
 */
@ConfigurationProperties("vmcp")
@Validated
public record BackendProperties(@DefaultValue @Valid List<Backend> backends) {

	/**
	 * The backends as the gateway uses them.
	 * @throws IllegalStateException naming the property, when a member's token could not
	 * be obtained as configured
	 */
	List<BackendDefinition> definitions() {
		List<BackendDefinition> definitions = new ArrayList<>();
		for (int index = 0; index < this.backends.size(); index++) {
			Backend backend = this.backends.get(index);
			definitions.add(new BackendDefinition(backend.name(), backend.url(), backend.connectTimeout(),
					backend.requestTimeout(), backend.callTimeout(), backend.headers(),
					MemberProtocol.of(backend.protocol()), backend.auth().checked(backend, index)));
		}
		return definitions;
	}

	/**
	 * One backend MCP server.
	 *
	 * @param name unique name used in the API ({@code [A-Za-z0-9._-]+})
	 * @param url Streamable HTTP endpoint of the server
	 * @param connectTimeout TCP connect timeout
	 * @param requestTimeout time allowed for one of the gateway's own requests
	 * (initialize, ping, a list page), body included
	 * @param callTimeout time allowed for a client's request forwarded to this backend (a
	 * tool call), from sending it to the end of its answer
	 * @param headers static headers sent with every request to this backend (its own
	 * credentials, say); the client's headers and token are never forwarded
	 * @param protocol the revision this backend is spoken to in: {@code auto} (asked with
	 * {@code server/discover}), {@code 2026-07-28} or {@code 2025}
	 * @param tools which of its tools clients see, and under which names and descriptions
	 * @param prompts which of its prompts clients see, and under which names and
	 * descriptions
	 * @param resources which of its resources (and resource templates) clients see
	 * @param auth how the gateway obtains the member's own token, if it takes one
	 */
	public record Backend(@NotBlank @Pattern(regexp = "[A-Za-z0-9._-]+") String name, @NotNull URI url,
			@DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration requestTimeout,
			@DefaultValue("60s") Duration callTimeout, @DefaultValue Map<String, String> headers,
			@DefaultValue("auto") @Pattern(regexp = "auto|2026-07-28|2025",
					message = "must be auto, 2026-07-28 or 2025") String protocol,
			@DefaultValue @Valid NamedItems tools, @DefaultValue @Valid NamedItems prompts,
			@DefaultValue ResourceItems resources, @DefaultValue Auth auth) {

	}

	/**
	 * How the gateway obtains a member's own token from an authorization server.
	 *
	 * @param type {@code none}, {@code client-credentials} (the gateway's own identity)
	 * or {@code token-exchange} (the caller's, RFC 8693; needs JWT mode)
	 * @param tokenUri the authorization server's token endpoint
	 * @param clientId the gateway's client id at the authorization server
	 * @param clientSecret the gateway's client secret there
	 * @param clientAuthentication {@code client-secret-basic} or
	 * {@code client-secret-post}
	 * @param audience the {@code audience} to ask a token for (the member's name at the
	 * authorization server), if any
	 * @param resource the {@code resource} to ask a token for (RFC 8707: the member's
	 * URI), if any
	 * @param scopes the scopes to ask a token for
	 */
	public record Auth(@DefaultValue("none") MemberAuth.Type type, @Nullable URI tokenUri,
			@DefaultValue("") String clientId, @DefaultValue("") String clientSecret,
			@DefaultValue("client-secret-basic") MemberAuth.ClientAuthentication clientAuthentication,
			@Nullable String audience, @Nullable URI resource, @DefaultValue List<String> scopes) {

		/** Never shows the client secret. */
		@Override
		public String toString() {
			return "Auth[" + this.type + ", " + this.tokenUri + ", " + this.clientId + "]";
		}

		MemberAuth checked(Backend backend, int index) {
			if (this.type == MemberAuth.Type.NONE) {
				return MemberAuth.NONE;
			}
			String property = "vmcp.backends[" + index + "].auth";
			String because = " must be set: " + property + ".type is " + kebab(this.type);
			require(this.tokenUri != null, property + ".token-uri" + because);
			require(!this.clientId.isBlank(), property + ".client-id" + because);
			require(!this.clientSecret.isBlank(), property + ".client-secret" + because);
			require(backend.headers().keySet().stream().noneMatch("Authorization"::equalsIgnoreCase),
					"vmcp.backends[" + index + "].headers.Authorization and " + property + ".type " + kebab(this.type)
							+ " both give the member a token: keep one");
			return new MemberAuth(this.type, this.tokenUri, this.clientId, this.clientSecret, this.clientAuthentication,
					this.audience, this.resource, this.scopes);
		}

		private static void require(boolean condition, String message) {
			if (!condition) {
				throw new IllegalStateException(message);
			}
		}

		static String kebab(Enum<?> value) {
			return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	/**
	 * Which of a member's tools (or prompts) clients see and how, the same for every
	 * caller.
	 *
	 * @param allow globs ({@code *}, {@code ?}) of the member's own names that are shown;
	 * empty shows all
	 * @param deny globs of the member's own names that are hidden, even where allowed
	 * @param rename the member's own name to the name clients see and call it by
	 * @param descriptions the member's own name to the description clients see
	 */
	public record NamedItems(@DefaultValue List<String> allow, @DefaultValue List<String> deny,
			@DefaultValue Map<String, @Pattern(regexp = "[A-Za-z0-9_.-]{1,128}",
					message = "must be 1 to 128 letters, digits, '_', '-' or '.'") String> rename,
			@DefaultValue Map<String, String> descriptions) {

	}

	/**
	 * Which of a member's resources clients see and may read, the same for every caller.
	 *
	 * @param allow globs of the URIs (for templates: of the URI templates) that are
	 * shown; empty shows all
	 * @param deny globs of the URIs that are hidden and cannot be read, even where
	 * allowed
	 */
	public record ResourceItems(@DefaultValue List<String> allow, @DefaultValue List<String> deny) {

	}

}
