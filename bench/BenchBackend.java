import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;

/**
 * The backend of bench/tools-call.sh and bench/soak.sh: the test suite's MCP server
 * (official MCP Java SDK, embedded Tomcat, an {@code echo} tool) on a free loopback port,
 * until killed. Run as a single-file program on the test classpath:
 *
 * <pre>
 * java -cp &lt;test classpath&gt; bench/BenchBackend.java [SSE|JSON [&lt;name&gt; [&lt;extra tools&gt;]]]
 * java -cp &lt;test classpath&gt; bench/BenchBackend.java STATELESS &lt;name&gt;
 * </pre>
 *
 * {@code STATELESS} serves the test suite's 2026-07-28 member instead ({@code echo}
 * answering {@code <name>: <text>}, and its conformance tools), which opens no sessions.
 *
 * With a number of extra tools, it offers that many more ({@code tool-0001} and on,
 * answering its name), for a long {@code tools/list}.
 *
 * It prints {@code url: <endpoint>} and {@code stats: <url>}. The stats URL answers
 * {@code GET} with what the server holds, one {@code name value} line each: {@code open}
 * (MCP sessions initialized and not ended by a DELETE), {@code initialized} and
 * {@code deleted} (counts since start), then a {@code session …} line per open session
 * (when it was initialized, its last request). The soak reads {@code open} to tell whether
 * the gateway leaves backend sessions behind: the server never expires a session by itself.
 */
public class BenchBackend {

	public static void main(String[] args) throws IOException, InterruptedException {
		if (args.length > 0 && args[0].equals("STATELESS")) {
			serveStateless((args.length > 1) ? args[1] : "bench");
			return;
		}
		McpBackendServer.ResponseMode mode = McpBackendServer.ResponseMode.valueOf((args.length > 0) ? args[0] : "SSE");
		String name = (args.length > 1) ? args[1] : "bench";
		McpBackendServer server = McpBackendServer.start(name, mode);
		int extraTools = (args.length > 2) ? Integer.parseInt(args[2]) : 0;
		for (int tool = 1; tool <= extraTools; tool++) {
			server.addTool("tool-%04d".formatted(tool));
		}
		HttpServer stats = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		stats.createContext("/stats", (exchange) -> answer(exchange, "open " + server.liveSessionIds().size()
				+ "\ninitialized " + server.initializeCount() + "\ndeleted " + server.deleteCount() + "\n"
				+ openSessions(server)));
		stats.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stats.stop(0);
			server.close();
		}));
		System.out.println("url: " + server.url());
		System.out.println("stats: http://" + stats.getAddress().getHostString() + ":" + stats.getAddress().getPort()
				+ "/stats");
		Thread.currentThread().join();
	}

	/**
	 * The test suite's 2026-07-28 member ({@code StatelessMcpServer}): no sessions, so its
	 * stats say none are open.
	 */
	private static void serveStateless(String name) throws IOException, InterruptedException {
		StatelessMcpServer server = StatelessMcpServer.start(name);
		HttpServer stats = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		stats.createContext("/stats", (exchange) -> answer(exchange, "open 0\ninitialized 0\ndeleted 0\n"));
		stats.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stats.stop(0);
			server.close();
		}));
		System.out.println("url: " + server.url());
		System.out.println("stats: http://" + stats.getAddress().getHostString() + ":" + stats.getAddress().getPort()
				+ "/stats");
		Thread.currentThread().join();
	}

	/**
	 * One {@code session <id> initialized <time> last <time> <HTTP method> requests <n>}
	 * line per open session, so that a session left open can be found in the pods' logs.
	 */
	private static String openSessions(McpBackendServer server) {
		StringBuilder lines = new StringBuilder();
		server.liveSessionActivity()
			.forEach((id, activity) -> lines.append("session ")
				.append(id)
				.append(" initialized ")
				.append(activity.initializedAt())
				.append(" last ")
				.append(activity.lastRequestAt())
				.append(' ')
				.append(activity.lastHttpMethod())
				.append(" requests ")
				.append(activity.requests())
				.append('\n'));
		return lines.toString();
	}

	private static void answer(HttpExchange exchange, String text) throws IOException {
		byte[] body = text.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

}
