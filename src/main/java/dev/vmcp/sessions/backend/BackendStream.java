package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A backend's standalone GET stream, read on its own thread until the backend ends it or
 * {@link #close()} is called. Thread-safe.
 */
public final class BackendStream implements AutoCloseable {

	private final InputStream body;

	private final AtomicBoolean closed = new AtomicBoolean();

	BackendStream(InputStream body) {
		this.body = body;
	}

	/** Stops reading and releases the connection, so the backend frees its stream. */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			try {
				this.body.close();
			}
			catch (IOException ex) {
				// closing is all that was wanted
			}
		}
	}

	public boolean isClosed() {
		return this.closed.get();
	}

}
