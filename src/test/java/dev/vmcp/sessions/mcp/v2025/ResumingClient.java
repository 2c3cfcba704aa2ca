package dev.vmcp.sessions.mcp.v2025;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A 2025 client over plain HTTP that reads event streams one event at a time, on the
 * test's own thread: it can cut a stream's connection right after the event a test
 * chooses, and resume the stream with {@code Last-Event-ID}, as a client behind a load
 * balancer that cuts connections does.
 */
final class ResumingClient {

	private static final int READ_TIMEOUT_MILLIS = 20_000;

	private final URI url;

	private String sessionId = "";

	private String protocolVersion = "";

	ResumingClient(URI url) {
		this.url = url;
	}

	/** Initializes a session at {@code protocolVersion}, which the gateway accepts. */
	String initialize(String version) {
		this.protocolVersion = version;
		HttpURLConnection initialize = post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
				+ "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{},"
				+ "\"clientInfo\":{\"name\":\"resuming\",\"version\":\"1\"}}}");
		String body = new EventStream(initialize).body();
		if (status(initialize) != 200 || !body.contains("\"protocolVersion\":\"" + version + "\"")) {
			throw new IllegalStateException("initialize answered " + status(initialize) + ": " + body);
		}
		this.sessionId = initialize.getHeaderField("Mcp-Session-Id");
		new EventStream(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")).body();
		return this.sessionId;
	}

	/**
	 * Calls {@code tool} with a progress token; the answer's stream is read as it comes.
	 */
	EventStream call(int id, String tool) {
		return new EventStream(post("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":"
				+ "{\"name\":\"" + tool + "\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p-" + id + "\"}}}"));
	}

	/** Opens the session's standalone stream: {@code GET}. */
	EventStream listen() {
		return new EventStream(open("GET", Map.of("Accept", "text/event-stream")));
	}

	/** Resumes a stream: {@code GET} with {@code Last-Event-ID}. */
	EventStream resume(String lastEventId) {
		HttpURLConnection get = open("GET", Map.of("Accept", "text/event-stream", "Last-Event-ID", lastEventId));
		return new EventStream(get);
	}

	String sessionId() {
		return this.sessionId;
	}

	private HttpURLConnection post(String message) {
		HttpURLConnection post = open("POST",
				Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"));
		post.setDoOutput(true);
		try (OutputStream out = post.getOutputStream()) {
			out.write(message.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return post;
	}

	private HttpURLConnection open(String method, Map<String, String> headers) {
		try {
			HttpURLConnection connection = (HttpURLConnection) this.url.toURL().openConnection();
			connection.setRequestMethod(method);
			connection.setReadTimeout(READ_TIMEOUT_MILLIS);
			connection.setUseCaches(false);
			headers.forEach(connection::setRequestProperty);
			if (!this.sessionId.isEmpty()) {
				connection.setRequestProperty("Mcp-Session-Id", this.sessionId);
				connection.setRequestProperty("MCP-Protocol-Version", this.protocolVersion);
			}
			return connection;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int status(HttpURLConnection connection) {
		try {
			return connection.getResponseCode();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The events of a stream read on a thread of its own, as they arrive. */
	static final class ReadAhead {

		private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();

		private final CountDownLatch ended = new CountDownLatch(1);

		/** The next event, waiting up to {@code within}; null if none came. */
		@Nullable SseEvent poll(Duration within) {
			try {
				return this.events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}

		/** The events not taken yet, once the server ended the stream. */
		List<SseEvent> untilEnd(Duration within) {
			try {
				if (!this.ended.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new IllegalStateException("The stream did not end within " + within);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			List<SseEvent> rest = new ArrayList<>();
			this.events.drainTo(rest);
			return rest;
		}

	}

	/**
	 * One server-sent event.
	 *
	 * @param id its id, if it has one
	 * @param retry the reconnection delay it sets, if it does
	 * @param data its data, empty for a priming event
	 */
	record SseEvent(@Nullable String id, @Nullable Long retry, String data) {
	}

	/** One answer, read on the caller's thread. */
	static final class EventStream {

		private final HttpURLConnection connection;

		private @Nullable BufferedReader reader;

		EventStream(HttpURLConnection connection) {
			this.connection = connection;
		}

		int status() {
			return ResumingClient.status(this.connection);
		}

		String contentType() {
			status();
			String type = this.connection.getContentType();
			return (type != null) ? type : "";
		}

		/** The whole body (of an error, or of a JSON answer). */
		String body() {
			try (InputStream in = (status() >= 400) ? this.connection.getErrorStream()
					: this.connection.getInputStream()) {
				return (in != null) ? new String(in.readAllBytes(), StandardCharsets.UTF_8) : "";
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * The next event, comments skipped.
		 * @return null when the server ended the stream
		 */
		@Nullable SseEvent next() {
			String id = null;
			Long retry = null;
			StringBuilder data = null;
			try {
				String line;
				while ((line = reader().readLine()) != null) {
					if (line.isEmpty()) {
						if (id != null || retry != null || data != null) {
							return new SseEvent(id, retry, (data != null) ? data.toString() : "");
						}
					}
					else if (line.startsWith("id:")) {
						id = line.substring(3).strip();
					}
					else if (line.startsWith("retry:")) {
						retry = Long.parseLong(line.substring(6).strip());
					}
					else if (line.startsWith("data:")) {
						data = ((data != null) ? data.append('\n') : new StringBuilder())
							.append(line.substring(5).strip());
					}
				}
				return null;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** The events until the server ends the stream. */
		List<SseEvent> rest() {
			List<SseEvent> events = new ArrayList<>();
			SseEvent event;
			while ((event = next()) != null) {
				events.add(event);
			}
			return events;
		}

		/**
		 * Reads the rest of the stream on a thread of its own, for a test that must act
		 * while waiting for an event.
		 */
		ReadAhead readAhead() {
			ReadAhead ahead = new ReadAhead();
			Thread.ofVirtual().name("event-stream-reader").start(() -> {
				try {
					SseEvent event;
					while ((event = next()) != null) {
						ahead.events.add(event);
					}
				}
				catch (UncheckedIOException ex) {
					// the connection broke: the stream ended all the same
				}
				ahead.ended.countDown();
			});
			return ahead;
		}

		/** Cuts the connection, as a proxy that drops it does. */
		void cut() {
			this.connection.disconnect();
		}

		private BufferedReader reader() throws IOException {
			if (this.reader == null) {
				this.reader = new BufferedReader(
						new InputStreamReader(this.connection.getInputStream(), StandardCharsets.UTF_8));
			}
			return this.reader;
		}

	}

}
