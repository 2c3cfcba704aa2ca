package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A plain round-robin load balancer in front of several pods: each HTTP request goes to
 * the next pod in turn, whatever session it belongs to, and responses stream back as they
 * arrive (no buffering), as a load balancer configured for streaming does. A pod that
 * refuses the connection is skipped, as after a failed health check.
 */
public final class RoundRobinBalancer implements AutoCloseable {

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding",
			"upgrade", "expect", "keep-alive");

	private final HttpServer server;

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<Integer> podPorts;

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicReference<String> lastSessionId = new AtomicReference<>();

	private final List<Forwarded> forwarded = new CopyOnWriteArrayList<>();

	private RoundRobinBalancer(List<Integer> podPorts) throws IOException {
		this.podPorts = List.copyOf(podPorts);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::forward);
		this.server.start();
	}

	public static RoundRobinBalancer start(List<Integer> podPorts) {
		try {
			return new RoundRobinBalancer(podPorts);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the balancer", ex);
		}
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	/** The endpoint of the MCP front door through this balancer. */
	public URI mcpUrl() {
		return URI.create("http://127.0.0.1:" + port() + "/mcp");
	}

	/** The last {@code Mcp-Session-Id} a pod handed out through this balancer. */
	public String lastSessionId() {
		return this.lastSessionId.get();
	}

	/**
	 * Every request a pod accepted through this balancer, in order: lets a test show
	 * which pod served which part of an exchange.
	 */
	public List<Forwarded> forwarded() {
		return List.copyOf(this.forwarded);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.client.close();
	}

	private void forward(HttpExchange exchange) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		IOException lastFailure = null;
		for (int attempt = 0; attempt < this.podPorts.size(); attempt++) {
			int port = this.podPorts.get(Math.floorMod(this.next.getAndIncrement(), this.podPorts.size()));
			try {
				HttpResponse<InputStream> response = this.client.send(request(exchange, port, body),
						HttpResponse.BodyHandlers.ofInputStream());
				this.forwarded
					.add(new Forwarded(port, exchange.getRequestMethod(), new String(body, StandardCharsets.UTF_8)));
				relay(exchange, response);
				return;
			}
			catch (java.net.ConnectException ex) {
				lastFailure = ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		exchange.sendResponseHeaders(502, -1);
		exchange.close();
		if (lastFailure != null) {
			throw lastFailure;
		}
	}

	private static HttpRequest request(HttpExchange exchange, int port, byte[] body) {
		URI target = URI.create("http://127.0.0.1:" + port + exchange.getRequestURI());
		HttpRequest.Builder request = HttpRequest.newBuilder(target)
			.method(exchange.getRequestMethod(), (body.length == 0) ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		exchange.getRequestHeaders().forEach((name, values) -> {
			if (!HOP_BY_HOP.contains(name.toLowerCase())) {
				values.forEach((value) -> request.header(name, value));
			}
		});
		return request.build();
	}

	private void relay(HttpExchange exchange, HttpResponse<InputStream> response) throws IOException {
		response.headers().map().forEach((name, values) -> {
			if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
				exchange.getResponseHeaders().put(name, values);
			}
		});
		response.headers().firstValue("Mcp-Session-Id").ifPresent(this.lastSessionId::set);
		int status = response.statusCode();
		boolean empty = status == 204 || status == 304
				|| response.headers().firstValueAsLong("Content-Length").orElse(-1) == 0;
		exchange.sendResponseHeaders(status, empty ? -1 : 0);
		try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
			// The headers leave at once, before any of the body: a stream that has
			// nothing to send yet is open all the same.
			out.flush();
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) != -1) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// one side went away: the other's connection ends with it
		}
		finally {
			exchange.close();
		}
	}

	/**
	 * A request that reached a pod.
	 *
	 * @param podPort the port of the pod that served it
	 * @param httpMethod {@code POST}, {@code GET} or {@code DELETE}
	 * @param body the request body as sent, empty for a GET
	 */
	public record Forwarded(int podPort, String httpMethod, String body) {
	}

}
