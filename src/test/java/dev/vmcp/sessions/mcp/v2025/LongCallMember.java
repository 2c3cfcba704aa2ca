package dev.vmcp.sessions.mcp.v2025;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import dev.vmcp.sessions.testsupport.LoopbackTomcat;

/**
 * A 2025 member (MCP Java SDK, which answers calls with an event stream) whose tool
 * {@code long-work} reports progress {@code started}, then waits until the test lets it
 * go on ({@link #hold()}, {@link #release()}), then reports {@code resumed} and
 * {@code finishing} and answers {@code long work done}: a long call whose client can lose
 * its connection at a point the test chooses.
 */
final class LongCallMember implements AutoCloseable {

	static final String TOOL = "long-work";

	static final List<String> PROGRESS = List.of("started", "resumed", "finishing");

	static final String RESULT = "long work done";

	private final McpSyncServer server;

	private final LoopbackTomcat tomcat;

	private volatile CountDownLatch goOn = new CountDownLatch(0);

	private LongCallMember() {
		HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
			.mcpEndpoint("/mcp")
			.keepAliveInterval(null)
			.sessionSweepInterval(null)
			.build();
		this.server = McpServer.sync(transport)
			.serverInfo("long-call-member", "1.0.0")
			.capabilities(ServerCapabilities.builder().tools(false).build())
			.tools(longWork())
			.build();
		this.tomcat = LoopbackTomcat.start(0, "/mcp", transport, List.of());
	}

	static LongCallMember start() {
		return new LongCallMember();
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + this.tomcat.port() + "/mcp");
	}

	/** The next calls wait after {@code started} until {@link #release()}. */
	void hold() {
		this.goOn = new CountDownLatch(1);
	}

	void release() {
		this.goOn.countDown();
	}

	@Override
	public void close() {
		release();
		this.server.closeGracefully();
		this.tomcat.close();
	}

	private SyncToolSpecification longWork() {
		Tool tool = Tool.builder(TOOL, Map.of("type", "object")).description("Reports progress while it works").build();
		return SyncToolSpecification.builder().tool(tool).callHandler(this::work).build();
	}

	private CallToolResult work(McpSyncServerExchange exchange, CallToolRequest request) {
		Object token = (request.meta() != null) ? request.meta().get("progressToken") : null;
		progress(exchange, token, 0);
		try {
			if (!this.goOn.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The test never let the call go on");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		progress(exchange, token, 1);
		progress(exchange, token, 2);
		return CallToolResult.builder().addTextContent(RESULT).build();
	}

	private static void progress(McpSyncServerExchange exchange, Object token, int step) {
		exchange.progressNotification(
				new ProgressNotification(token, step + 1, (double) PROGRESS.size(), PROGRESS.get(step)));
	}

}
