package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves one HTML page to a browser at {@code /} and takes the outcome its script posts
 * back to {@code /report} (same origin as the page, so no CORS is involved).
 */
public final class BrowserPageServer implements AutoCloseable {

	private final HttpServer server;

	private final String host;

	private final CompletableFuture<String> report = new CompletableFuture<>();

	private BrowserPageServer(HttpServer server, String host) {
		this.server = server;
		this.host = host;
	}

	/**
	 * Serves {@code html} on a free port of {@code address}; the page's URL names
	 * {@code host}, which is the page's origin for the browser.
	 */
	public static BrowserPageServer start(InetAddress address, String host, String html) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
			BrowserPageServer pages = new BrowserPageServer(server, host);
			byte[] page = html.getBytes(StandardCharsets.UTF_8);
			server.createContext("/", (exchange) -> pages.serve(exchange, page));
			server.start();
			return pages;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not serve the page on " + address, ex);
		}
	}

	public URI url() {
		return URI.create("http://" + this.host + ":" + this.server.getAddress().getPort() + "/");
	}

	/** The body the page posted to {@code /report}, waiting at most {@code timeout}. */
	public String awaitReport(Duration timeout) throws TimeoutException, InterruptedException {
		try {
			return this.report.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	private void serve(HttpExchange exchange, byte[] page) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			if (path.equals("/report") && exchange.getRequestMethod().equals("POST")) {
				this.report.complete(read(exchange.getRequestBody()));
				exchange.sendResponseHeaders(204, -1);
			}
			else if (path.equals("/")) {
				exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
				exchange.sendResponseHeaders(200, page.length);
				exchange.getResponseBody().write(page);
			}
			else {
				exchange.sendResponseHeaders(404, -1);
			}
		}
	}

	private static String read(InputStream body) {
		try {
			return new String(body.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
