package dev.vmcp.sessions.conformance;

import java.net.URI;
import java.util.List;
import java.util.stream.Stream;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;

import dev.vmcp.sessions.testsupport.LoopbackTomcat;

/**
 * An MCP server that passes every active server scenario of the official MCP conformance
 * suite on its own, so that it can stand behind a gateway under test: whatever scenario
 * then fails was broken by the gateway. Built with the official MCP Java SDK (Streamable
 * HTTP, sessions) and hosted on {@code 127.0.0.1} and a free port.
 * <p>
 * It offers the tools, resources, prompts and completions that the scenarios call by
 * name, logging, and subscriptions. Requests whose {@code Host} or {@code Origin} is not
 * a loopback name are refused (403 or 421), as scenario {@code dns-rebinding-protection}
 * demands of a server on localhost. Thread-safe.
 */
public final class ConformanceBackendServer implements AutoCloseable {

	private static final String SERVER_NAME = "vmcp-conformance-backend";

	private static final String SERVER_VERSION = "1.0.0";

	private static final String ENDPOINT_PATH = "/mcp";

	/**
	 * Host names that reach this machine only, so a DNS-rebinding page cannot use them.
	 */
	private static final List<String> LOOPBACK_HOSTS = List.of("127.0.0.1", "localhost", "[::1]");

	private final McpSyncServer mcpServer;

	private final LoopbackTomcat tomcat;

	private ConformanceBackendServer(McpSyncServer mcpServer, LoopbackTomcat tomcat) {
		this.mcpServer = mcpServer;
		this.tomcat = tomcat;
	}

	/**
	 * Start a server on a free loopback port.
	 * @return the running server
	 * @throws IllegalStateException if it cannot listen
	 */
	public static ConformanceBackendServer start() {
		HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
			.mcpEndpoint(ENDPOINT_PATH)
			.httpHeaderValidator(loopbackOnly())
			// No pings or sweeps of its own: only the client under test acts
			.keepAliveInterval(null)
			.sessionSweepInterval(null)
			.build();
		McpSyncServer mcpServer = McpServer.sync(transport)
			.serverInfo(SERVER_NAME, SERVER_VERSION)
			.capabilities(ServerCapabilities.builder()
				.tools(false)
				.resources(true, false)
				.prompts(false)
				.logging()
				.completions()
				.build())
			.tools(tools())
			.resources(ConformanceResources.resources())
			.resourceTemplates(ConformanceResources.templates())
			.prompts(ConformancePrompts.prompts())
			.completions(ConformancePrompts.completions())
			.build();
		try {
			return new ConformanceBackendServer(mcpServer,
					LoopbackTomcat.start(0, ENDPOINT_PATH, transport, List.of()));
		}
		catch (RuntimeException ex) {
			mcpServer.closeGracefully();
			throw ex;
		}
	}

	/**
	 * The Streamable HTTP endpoint.
	 * @return the endpoint URL, on {@code 127.0.0.1}
	 */
	public URI url() {
		return URI.create("http://" + LoopbackTomcat.LOOPBACK_ADDRESS + ":" + this.tomcat.port() + ENDPOINT_PATH);
	}

	@Override
	public void close() {
		// Closing the SDK first ends open SSE streams, which Tomcat would wait for
		this.mcpServer.closeGracefully();
		this.tomcat.close();
	}

	@Override
	public String toString() {
		return "ConformanceBackendServer[" + url() + "]";
	}

	private static List<SyncToolSpecification> tools() {
		return Stream.concat(ContentTools.all().stream(), ClientInteractionTools.all().stream()).toList();
	}

	private static DefaultServerTransportSecurityValidator loopbackOnly() {
		DefaultServerTransportSecurityValidator.Builder validator = DefaultServerTransportSecurityValidator.builder();
		for (String host : LOOPBACK_HOSTS) {
			validator.allowedHost(host + ":*").allowedOrigin("http://" + host + ":*");
		}
		return validator.build();
	}

}
