package dev.vmcp.sessions.backend;

import java.net.URI;
import java.time.Duration;

/**
 * One backend MCP server reached over Streamable HTTP.
 *
 * @param name unique name, used in the API and in session membership
 * @param url the Streamable HTTP endpoint
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time allowed for one request to answer
 */
public record BackendDefinition(String name, URI url, Duration connectTimeout, Duration requestTimeout) {

}
