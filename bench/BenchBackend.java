import dev.vmcp.sessions.testsupport.McpBackendServer;

/**
 * The backend of bench/tools-call.sh: the test suite's MCP server (official MCP Java SDK,
 * embedded Tomcat, an {@code echo} tool) on a free loopback port, until killed. Run as a
 * single-file program on the test classpath; prints {@code url: <endpoint>}.
 */
public class BenchBackend {

	public static void main(String[] args) throws InterruptedException {
		McpBackendServer.ResponseMode mode = McpBackendServer.ResponseMode.valueOf((args.length > 0) ? args[0] : "SSE");
		McpBackendServer server = McpBackendServer.start("bench", mode);
		Runtime.getRuntime().addShutdownHook(new Thread(server::close));
		System.out.println("url: " + server.url());
		Thread.currentThread().join();
	}

}
