package dev.vmcp.sessions.backend;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One backend MCP server reached over Streamable HTTP.
 *
 * @param name unique name, used in the API, in session membership and as the prefix of
 * names that two backends share
 * @param url the Streamable HTTP endpoint
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time allowed for one protocol step of the gateway's own
 * (initialize, ping, a list page)
 * @param callTimeout time allowed for a client's request forwarded to the backend (a tool
 * call), from sending it to the end of its answer
 * @param headers static headers sent with every request to this backend (its own
 * credentials, say); the client's headers are never forwarded
 * @param protocol the revision it is spoken to in, or {@link MemberProtocol#AUTO} to ask
 * it
 * @param auth how its own token is obtained, if it takes one
 */
public record BackendDefinition(String name, URI url, Duration connectTimeout, Duration requestTimeout,
		Duration callTimeout, Map<String, String> headers, MemberProtocol protocol, MemberAuth auth) {

	public BackendDefinition {
		headers = Map.copyOf(headers);
	}

	public BackendDefinition(String name, URI url, Duration connectTimeout, Duration requestTimeout,
			Duration callTimeout, Map<String, String> headers, MemberProtocol protocol) {
		this(name, url, connectTimeout, requestTimeout, callTimeout, headers, protocol, MemberAuth.NONE);
	}

	public BackendDefinition(String name, URI url, Duration connectTimeout, Duration requestTimeout,
			Duration callTimeout, Map<String, String> headers) {
		this(name, url, connectTimeout, requestTimeout, callTimeout, headers, MemberProtocol.AUTO);
	}

	public BackendDefinition(String name, URI url, Duration connectTimeout, Duration requestTimeout) {
		this(name, url, connectTimeout, requestTimeout, requestTimeout, Map.of());
	}

}
