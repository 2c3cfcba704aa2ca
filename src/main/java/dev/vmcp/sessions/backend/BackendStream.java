package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * A backend's standalone GET stream: opening in the background (some servers send no
 * headers before their first event), then read on its own thread until the backend ends
 * it or {@link #close()} is called. Thread-safe.
 */
public final class BackendStream implements AutoCloseable {

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable CompletableFuture<?> opening;

	private volatile @Nullable InputStream body;

	void opening(CompletableFuture<?> pending) {
		this.opening = pending;
	}

	/**
	 * @return whether the body is kept; a stream closed meanwhile closes it at once
	 */
	boolean attach(InputStream opened) {
		this.body = opened;
		if (isClosed()) {
			closeQuietly(opened);
			return false;
		}
		return true;
	}

	/** Stops reading and releases the connection, so the backend frees its stream. */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			CompletableFuture<?> pending = this.opening;
			if (pending != null) {
				pending.cancel(true);
			}
			InputStream opened = this.body;
			if (opened != null) {
				closeQuietly(opened);
			}
		}
	}

	public boolean isClosed() {
		return this.closed.get();
	}

	private static void closeQuietly(InputStream stream) {
		try {
			stream.close();
		}
		catch (IOException ex) {
			// closing is all that was wanted
		}
	}

}
