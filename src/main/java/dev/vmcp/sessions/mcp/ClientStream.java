package dev.vmcp.sessions.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletResponse;

/**
 * A client's open standalone event stream: events written and flushed one at a time from
 * any thread; a write that fails means the client went away, and closes it. Its messages
 * are numbered and kept as its {@link StreamEvents} say, so that the client can resume
 * it. Thread-safe.
 */
public final class ClientStream {

	private final String id;

	private final HttpServletResponse response;

	private final StreamEvents events;

	private final CountDownLatch closed = new CountDownLatch(1);

	/** A stream whose events have no ids and are not kept. */
	public ClientStream(String id, HttpServletResponse response) {
		this(id, response, StreamEvents.NONE);
	}

	public ClientStream(String id, HttpServletResponse response, StreamEvents events) {
		this.id = id;
		this.response = response;
		this.events = events;
	}

	public String id() {
		return this.id;
	}

	/** Sends the headers, and the priming event if the stream has one. */
	public synchronized void open() {
		this.response.setStatus(HttpServletResponse.SC_OK);
		EventStreams.prepare(this.response);
		send(this.events.opening());
		this.events.opened(this::close);
	}

	/** One JSON-RPC message, as an event numbered and kept as the stream's events say. */
	public synchronized void message(String json) {
		if (!isClosed()) {
			send(this.events.event(json, false));
		}
	}

	public synchronized void send(String event) {
		if (isClosed()) {
			return;
		}
		try {
			if (!event.isEmpty()) {
				this.response.getOutputStream().write(event.getBytes(StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			close();
			return;
		}
		flushOrClose();
	}

	public void keepAlive() {
		send(EventStreams.KEEP_ALIVE);
	}

	/**
	 * Waits up to {@code interval} for the stream to close.
	 * @return whether it is still open
	 */
	public boolean awaitClose(Duration interval) {
		try {
			return !this.closed.await(interval.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	public void close() {
		this.closed.countDown();
	}

	public boolean isClosed() {
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
