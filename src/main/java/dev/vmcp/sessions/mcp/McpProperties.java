package dev.vmcp.sessions.mcp;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The MCP front door ({@code /mcp}), under {@code vmcp.mcp}.
 *
 * @param toolNaming how tools and prompts of several backends are named:
 * {@code prefix-on-conflict} (only shared names become {@code <backend>_<name>}) or
 * {@code prefix-all}
 * @param allowedHosts {@code Host} names accepted on {@code /mcp} (any port), against DNS
 * rebinding; {@code *} accepts any
 * @param allowedOrigins {@code Origin}s accepted on {@code /mcp}: {@code scheme://host}
 * (any port) or with a port (that port only); {@code *} accepts any; requests without
 * {@code Origin} always pass; the same origins get CORS answers ({@link McpCors})
 * @param maxRequestSize largest message a client may POST (413 beyond)
 * @param keepAliveInterval how often an idle standalone stream gets a comment line, so
 * that proxies keep it open and a client gone away is noticed
 * @param streamHandoverTimeout how long a pod taking over a client's standalone stream
 * waits for the pod that held it to let go of the backends' streams
 * @param catalogTtl how long a pod keeps a session's merged lists when no backend
 * announces a change (a list missing a failed backend is fetched again after
 * {@code vmcp.session.backend-retry-interval})
 * @param authorizationServers authorization servers named in the protected resource
 * metadata ({@code /.well-known/oauth-protected-resource}) in JWT mode; empty: the JWT
 * issuer
 * @param memberRevisionTtl how long a pod trusts what it learned of a member's revision
 * ({@code server/discover}) before asking again; a member that answers against it is
 * asked again at once
 * @param requestStateTtl how long a client may take to retry a request a member answered
 * with {@code InputRequiredResult}: the {@code requestState} the gateway hands out
 * expires then
 * @param inputWait how long a call waits for the client's answers when its member asks
 * the client something during it (a 2025 member's answer stream, or a 2025 client's
 * stream, held open meanwhile): past it the call ends (a 2025 member is told it was
 * cancelled, and a 2026-07-28 client's state expires)
 * @param replayWindow how long the events of a 2025 client's stream are kept after its
 * last one, for the client to resume the stream ({@code Last-Event-ID}) on any pod
 * @param replayMaxEvents most events kept per stream for a resuming client, the oldest
 * dropped first
 * @param streamPollInterval how long the connection of a 2025-11-25 client's request
 * stream stays open before the gateway closes it, the call going on, and the client
 * resumes the stream (SSE polling); {@code 0s} keeps it open until the response
 * @param streamRetry the {@code retry} a 2025-11-25 client is told at the start of each
 * stream: how long it waits before it resumes a stream whose connection closed
 */
@ConfigurationProperties("vmcp.mcp")
@Validated
public record McpProperties(@DefaultValue("prefix-on-conflict") NamingRule toolNaming, @DefaultValue( {
		"localhost", "127.0.0.1", "[::1]" }) List<String> allowedHosts,
		@DefaultValue({ "http://localhost", "https://localhost", "http://127.0.0.1", "https://127.0.0.1",
				"http://[::1]", "https://[::1]" }) List<String> allowedOrigins,
		@DefaultValue("4MB") DataSize maxRequestSize, @DefaultValue("15s") Duration keepAliveInterval,
		@DefaultValue("3s") Duration streamHandoverTimeout, @DefaultValue("60s") Duration catalogTtl,
		@DefaultValue List<URI> authorizationServers, @DefaultValue("5m") Duration memberRevisionTtl,
		@DefaultValue("10m") Duration requestStateTtl, @DefaultValue("5m") Duration inputWait,
		@DefaultValue("5m") @DurationMin(millis = 1) Duration replayWindow,
		@DefaultValue("1000") @Positive int replayMaxEvents,
		@DefaultValue("0s") @DurationMin(millis = 0) Duration streamPollInterval,
		@DefaultValue("1s") @DurationMin(millis = 0) Duration streamRetry){

}
