package dev.vmcp.sessions.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletResponse;

/**
 * A client's open standalone event stream: events written and flushed one at a time from
 * any thread; a write that fails means the client went away, and closes it. Thread-safe.
 */
final class ClientStream {

	private final String id;

	private final HttpServletResponse response;

	private final CountDownLatch closed = new CountDownLatch(1);

	ClientStream(String id, HttpServletResponse response) {
		this.id = id;
		this.response = response;
	}

	String id() {
		return this.id;
	}

	synchronized void open() {
		this.response.setStatus(HttpServletResponse.SC_OK);
		EventStreams.prepare(this.response);
		flushOrClose();
	}

	synchronized void send(String event) {
		if (isClosed()) {
			return;
		}
		try {
			this.response.getOutputStream().write(event.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			close();
			return;
		}
		flushOrClose();
	}

	void keepAlive() {
		send(EventStreams.KEEP_ALIVE);
	}

	/**
	 * Waits up to {@code interval} for the stream to close.
	 * @return whether it is still open
	 */
	boolean awaitClose(Duration interval) {
		try {
			return !this.closed.await(interval.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	void close() {
		this.closed.countDown();
	}

	boolean isClosed() {
		return this.closed.getCount() == 0;
	}

	private void flushOrClose() {
		try {
			this.response.flushBuffer();
		}
		catch (IOException ex) {
			close();
		}
	}

}
