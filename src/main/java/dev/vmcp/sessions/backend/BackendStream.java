package dev.vmcp.sessions.backend;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.core5.concurrent.Cancellable;
import org.jspecify.annotations.Nullable;

/**
 * A backend's standalone GET stream, or a 2026-07-28 member's
 * {@code subscriptions/listen} answer: opening in the background (some servers send no
 * headers before their first event), then read on its own thread until the backend ends
 * it or {@link #close()} is called. Thread-safe.
 */
public final class BackendStream implements AutoCloseable {

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Cancellable exchange;

	private volatile @Nullable BackendResponse response;

	BackendStream(Cancellable exchange) {
		this.exchange = exchange;
	}

	/**
	 * @return whether the response is kept; a stream closed meanwhile releases it at once
	 */
	boolean attach(BackendResponse opened) {
		this.response = opened;
		if (isClosed()) {
			opened.close();
			return false;
		}
		return true;
	}

	/**
	 * Stops reading and cuts the connection, opened or still opening, so that the backend
	 * frees its stream.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.exchange.cancel();
			BackendResponse opened = this.response;
			if (opened != null) {
				opened.close();
			}
		}
	}

	public boolean isClosed() {
		return this.closed.get();
	}

}
