package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import org.jspecify.annotations.Nullable;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A real MCP server speaking Streamable HTTP, for tests of code that acts as an MCP
 * client. It is the official MCP Java SDK server
 * ({@link HttpServletStreamableServerTransportProvider} + {@link McpSyncServer} with one
 * {@code echo} tool) hosted on an embedded Tomcat bound to {@code 127.0.0.1} and a free
 * port.
 * <p>
 * The SDK servlet does the protocol work itself: it creates a session on
 * {@code initialize} and returns its id in the {@code Mcp-Session-Id} header, accepts
 * notifications with 202, answers {@code ping}, {@code tools/list} and
 * {@code tools/call}, and ends a session on {@code DELETE}. A
 * {@link BackendTrafficFilter} in front of it observes the traffic (the counters of this
 * class), implements {@link #hang(boolean)}, answers requests for unknown sessions with
 * 404 and a JSON-RPC error (the SDK's own 404 body is a serialized Java exception), and
 * reshapes response bodies so that each {@link ResponseMode} is consistent, because the
 * SDK servlet mixes both styles (see {@link ResponseMode}).
 * <p>
 * Protocol versions: the SDK server accepts {@code 2025-03-26}, {@code 2025-06-18} and
 * {@code 2025-11-25} and echoes the one the client asks for; for any other requested
 * version it answers with {@code 2025-11-25}. It checks neither the
 * {@code MCP-Protocol-Version} header nor {@code Origin}, but it does require
 * {@code Content-Type: application/json} (else 415) and an {@code Accept} header naming
 * both {@code application/json} and {@code text/event-stream} (else 400).
 * <p>
 * With a {@link BearerCheck}, only requests with a token meant for it reach the server
 * (401 otherwise, before anything is counted), and a tool {@code subject} answers with
 * the token's subject.
 * <p>
 * The server's keep-alive pings and idle-session sweeping (both on by default in SDK
 * 2.1.0) are switched off, so that a session only disappears when a test says so.
 * Thread-safe.
 */
public final class McpBackendServer implements AutoCloseable {

	private static final String ENDPOINT_PATH = "/mcp";

	/**
	 * How the server answers a POSTed JSON-RPC request.
	 * <p>
	 * The SDK 2.1.0 servlet has no switch for this and mixes both: it answers
	 * {@code initialize} with a plain {@code application/json} body but every other
	 * request with a {@code text/event-stream}. Real servers do either, so the filter
	 * makes the answers uniform: in {@link #JSON} mode it buffers the SSE stream and
	 * sends the JSON-RPC response it carries as a single {@code application/json} body,
	 * in {@link #SSE} mode it wraps the {@code initialize} result into one SSE
	 * {@code message} event.
	 */
	public enum ResponseMode {

		/** Every JSON-RPC response comes as a single {@code application/json} body. */
		JSON,

		/** Every JSON-RPC response comes as an event of a {@code text/event-stream}. */
		SSE

	}

	private final String name;

	private final ResponseMode mode;

	private final BackendTraffic traffic = new BackendTraffic();

	private final HangGate hangGate = new HangGate();

	private final @Nullable BearerCheck bearer;

	private volatile int port;

	private volatile HttpServletStreamableServerTransportProvider transport;

	private McpSyncServer mcpServer;

	private LoopbackTomcat tomcat;

	private boolean closed;

	private McpBackendServer(String name, ResponseMode mode, @Nullable BearerCheck bearer) {
		this.name = name;
		this.mode = mode;
		this.bearer = bearer;
	}

	/**
	 * Start a server on a free loopback port.
	 * @param name the server name, reported as {@code serverInfo.name}
	 * @param mode how JSON-RPC responses are sent
	 * @return the running server
	 */
	public static McpBackendServer start(String name, ResponseMode mode) {
		return start(name, mode, null);
	}

	/**
	 * Start a server on a free loopback port that takes only requests with a token that
	 * {@code bearer} passes.
	 * @param name the server name, reported as {@code serverInfo.name}
	 * @param mode how JSON-RPC responses are sent
	 * @param bearer the check of the tokens, or null for none
	 * @return the running server
	 */
	public static McpBackendServer start(String name, ResponseMode mode, @Nullable BearerCheck bearer) {
		return startAt(name, mode, bearer, 0);
	}

	/**
	 * Start a server on the given loopback port, as a member redeployed at the URL
	 * another server had.
	 * @param name the server name, reported as {@code serverInfo.name}
	 * @param mode how JSON-RPC responses are sent
	 * @param port the port, 0 for a free one
	 * @return the running server
	 */
	public static McpBackendServer startAt(String name, ResponseMode mode, int port) {
		return startAt(name, mode, null, port);
	}

	private static McpBackendServer startAt(String name, ResponseMode mode, @Nullable BearerCheck bearer, int port) {
		McpBackendServer server = new McpBackendServer(name, mode, bearer);
		server.port = port;
		try {
			server.listen();
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/**
	 * The Streamable HTTP endpoint; stays the same across {@link #stop()} and
	 * {@link #restart()}.
	 * @return the endpoint URL
	 */
	public URI url() {
		return URI.create("http://" + LoopbackTomcat.LOOPBACK_ADDRESS + ":" + this.port + ENDPOINT_PATH);
	}

	public String name() {
		return this.name;
	}

	public ResponseMode mode() {
		return this.mode;
	}

	/**
	 * The number of {@code initialize} requests answered with 200 and a session id.
	 * @return the count since start
	 */
	public int initializeCount() {
		return this.traffic.initializeCount();
	}

	/**
	 * Every POST received, in order.
	 * @return the method and trace context of each
	 */
	public List<Post> posts() {
		return this.traffic.posts();
	}

	/**
	 * The number of DELETE requests received, whatever their session id or outcome.
	 * @return the count since start
	 */
	public int deleteCount() {
		return this.traffic.deleteCount();
	}

	/**
	 * The {@code Mcp-Session-Id} of each DELETE request that carried one.
	 * @return the ids in the order received
	 */
	public List<String> deletedSessionIds() {
		return this.traffic.deletedSessionIds();
	}

	/**
	 * The sessions the server currently knows: initialized and neither deleted nor
	 * forgotten, nor lost by a stop.
	 * @return a snapshot of the session ids
	 */
	public Set<String> liveSessionIds() {
		return this.traffic.liveSessionIds();
	}

	/**
	 * When each session the server knows was initialized, and what it last received.
	 * @return a snapshot by session id
	 */
	public Map<String, SessionActivity> liveSessionActivity() {
		return this.traffic.liveSessionActivity();
	}

	/**
	 * The number of POST requests received carrying the given {@code Mcp-Session-Id},
	 * counted on arrival (so including requests held by {@link #hang(boolean)} and
	 * requests answered 404).
	 * @param sessionId the session id
	 * @return the count since start
	 */
	public int requestCount(String sessionId) {
		return this.traffic.requestCount(sessionId);
	}

	/**
	 * Make the server drop a session, as if it expired: later requests with its id get
	 * 404. Not counted as a DELETE.
	 * @param sessionId the session to drop
	 */
	public void forgetSession(String sessionId) {
		HttpServletStreamableServerTransportProvider current = this.transport;
		if (current != null) {
			deleteInsideSdk(current, sessionId);
		}
		this.traffic.sessionEnded(sessionId);
	}

	/**
	 * Drop every session the server knows.
	 */
	public void forgetAllSessions() {
		this.traffic.liveSessionIds().forEach(this::forgetSession);
	}

	/**
	 * Stop listening: new connections are refused. Counters, the port and the
	 * {@link #hang(boolean)} setting are kept; sessions are lost as in a crashed process.
	 * Requests held by {@link #hang(boolean)} are let through (the SDK, already shutting
	 * down, answers them 503) so that Tomcat can stop at once.
	 */
	public synchronized void stop() {
		if (this.tomcat != null) {
			shutDown();
		}
	}

	/**
	 * Listen again on the same port with a fresh SDK server, so all earlier sessions are
	 * unknown, like after a real restart. Stops first if running.
	 */
	public synchronized void restart() {
		if (this.closed) {
			throw new IllegalStateException("Server '" + this.name + "' is closed");
		}
		stop();
		listen();
	}

	/**
	 * While {@code true}, every request blocks before the SDK sees it, until
	 * {@code hang(false)}, {@link #stop()} or {@link #close()}. Requests are counted
	 * before they block.
	 * @param hang whether requests should block
	 */
	public void hang(boolean hang) {
		this.hangGate.hang(hang);
	}

	/**
	 * Adds a tool at run time; the server announces
	 * {@code notifications/tools/list_changed} on its sessions' standalone streams.
	 * @param toolName the new tool's name
	 */
	/**
	 * Adds the tool {@code chatter}, which logs at debug, info, warning and error before
	 * it answers (the SDK sends those the session's {@code logging/setLevel} lets
	 * through).
	 */
	public synchronized void addChatterTool() {
		this.mcpServer.addTool(BackendFeatures.chatterTool(this.name));
		this.mcpServer.notifyToolsListChanged();
	}

	public synchronized void addTool(String toolName) {
		this.mcpServer.addTool(BackendFeatures.namedTool(this.name, toolName));
		this.mcpServer.notifyToolsListChanged();
	}

	/**
	 * Announces {@code notifications/resources/updated} for {@code uri} on the standalone
	 * streams of the sessions that subscribed to it ({@code resources/subscribe}, which
	 * the server takes for any URI).
	 * @param uri the resource that changed
	 */
	public synchronized void updateResource(String uri) {
		this.mcpServer.notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri));
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.hangGate.hang(false);
		stop();
	}

	@Override
	public String toString() {
		return "McpBackendServer[" + this.name + ", " + this.mode + ", " + url() + "]";
	}

	private void listen() {
		HttpServletStreamableServerTransportProvider newTransport = HttpServletStreamableServerTransportProvider
			.builder()
			.mcpEndpoint(ENDPOINT_PATH)
			.keepAliveInterval(null)
			.sessionSweepInterval(null)
			.contextExtractor((request) -> McpTransportContext
				.create(Map.of(BearerCheck.SUBJECT, String.valueOf(request.getAttribute(BearerCheck.SUBJECT)))))
			.build();
		var specification = McpServer.sync(newTransport)
			.serverInfo(this.name, "1.0.0")
			.capabilities(
					ServerCapabilities.builder().tools(true).prompts(false).resources(true, false).logging().build())
			.tools(echoTool())
			.tools(BackendFeatures.tools(this.name))
			.prompts(BackendFeatures.prompts(this.name))
			.resources(BackendFeatures.resources(this.name));
		List<Filter> filters = new ArrayList<>();
		if (this.bearer != null) {
			specification.tools(subjectTool());
			filters.add(this.bearer.filter());
		}
		filters.add(new BackendTrafficFilter(this.mode, this.traffic, this.hangGate));
		this.mcpServer = specification.build();
		try {
			this.tomcat = LoopbackTomcat.start(this.port, ENDPOINT_PATH, newTransport, filters);
		}
		catch (RuntimeException ex) {
			this.mcpServer.closeGracefully();
			throw ex;
		}
		this.port = this.tomcat.port();
		this.transport = newTransport;
	}

	private void shutDown() {
		this.transport = null;
		// Closing the SDK first ends open SSE streams, and opening the gate lets held
		// requests finish: Tomcat would wait for both when stopping
		this.mcpServer.closeGracefully();
		boolean hanging = this.hangGate.isHanging();
		this.hangGate.hang(false);
		this.tomcat.close();
		this.hangGate.hang(hanging);
		this.tomcat = null;
		this.traffic.forgetAllSessions();
	}

	private static SyncToolSpecification echoTool() {
		Map<String, Object> inputSchema = Map.of("type", "object", "properties",
				Map.of("text", Map.of("type", "string")));
		Tool tool = Tool.builder("echo", inputSchema).description("Returns its text argument").build();
		return SyncToolSpecification.builder()
			.tool(tool)
			.callHandler((exchange, request) -> CallToolResult.builder()
				.addTextContent(String.valueOf(request.arguments().get("text")))
				.build())
			.build();
	}

	/** Answers with the subject of the token the request carried. */
	private static SyncToolSpecification subjectTool() {
		Tool tool = Tool.builder("subject", Map.of("type", "object"))
			.description("Returns the subject of the caller's token")
			.build();
		return SyncToolSpecification.builder()
			.tool(tool)
			.callHandler((exchange, request) -> CallToolResult.builder()
				.addTextContent("sub=" + exchange.transportContext().get(BearerCheck.SUBJECT))
				.build())
			.build();
	}

	/**
	 * The SDK has no public way to drop a session other than a DELETE request, so hand it
	 * one directly, bypassing Tomcat and the counting filter. That way the SDK really
	 * forgets the session (and its resources) instead of the filter only hiding it.
	 */
	private static void deleteInsideSdk(HttpServletStreamableServerTransportProvider transport, String sessionId) {
		MockHttpServletRequest request = new MockHttpServletRequest("DELETE", ENDPOINT_PATH);
		request.addHeader(HttpHeaders.MCP_SESSION_ID, sessionId);
		MockHttpServletResponse response = new MockHttpServletResponse();
		try {
			transport.service(request, response);
		}
		catch (ServletException | IOException ex) {
			throw new IllegalStateException("Could not drop session " + sessionId, ex);
		}
		// 404: the SDK did not know the session (any more), which is just as good
		if (response.getStatus() != 200 && response.getStatus() != 404) {
			throw new IllegalStateException("Could not drop session " + sessionId + ": HTTP " + response.getStatus());
		}
	}

	/**
	 * A POST as the member received it.
	 * @param method its JSON-RPC method, empty for a response
	 * @param traceparent its {@code traceparent} header, empty when it had none
	 */
	/**
	 * A session's life at the server so far: when it was initialized, and the time and
	 * HTTP method of the last request that named it.
	 */
	public record SessionActivity(Instant initializedAt, Instant lastRequestAt, String lastHttpMethod, int requests) {

		static SessionActivity initialized(Instant at) {
			return new SessionActivity(at, at, "POST", 0);
		}

		SessionActivity touched(Instant at, String httpMethod) {
			return new SessionActivity(this.initializedAt, at, httpMethod, this.requests + 1);
		}

	}

	public record Post(String method, String traceparent) {
	}

}
