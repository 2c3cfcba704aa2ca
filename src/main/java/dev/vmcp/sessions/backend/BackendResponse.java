package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;

/**
 * A backend's answer whose headers have arrived and whose body is read as it comes, on
 * the reading thread itself, within the exchange's deadline. {@link #close()} after
 * reading it to the end gives the connection back to the pool; {@link #abort()} cuts it,
 * which also ends a read blocked on a silent server. Reading is for one thread;
 * {@code abort} may come from any.
 */
final class BackendResponse implements AutoCloseable {

	private static final InputStream EMPTY = InputStream.nullInputStream();

	private final ClassicHttpResponse response;

	private final Cancellable exchange;

	private final ExchangeDeadline deadline;

	BackendResponse(ClassicHttpResponse response, Cancellable exchange, ExchangeDeadline deadline) {
		this.response = response;
		this.exchange = exchange;
		this.deadline = deadline;
	}

	ExchangeDeadline deadline() {
		return this.deadline;
	}

	int status() {
		return this.response.getCode();
	}

	Optional<String> header(String name) {
		Header header = this.response.getFirstHeader(name);
		return Optional.ofNullable(header).map(Header::getValue);
	}

	boolean isEventStream() {
		return header("Content-Type").orElse("").startsWith(BackendHttp.EVENT_STREAM);
	}

	InputStream body() throws IOException {
		HttpEntity entity = this.response.getEntity();
		return (entity != null) ? entity.getContent() : EMPTY;
	}

	String bodyText() throws IOException {
		return new String(body().readAllBytes(), StandardCharsets.UTF_8);
	}

	/** Reads what is left, so that the connection can be reused. */
	void drain() throws IOException {
		body().transferTo(OutputStream.nullOutputStream());
	}

	/**
	 * Gives up this answer, within the exchange's deadline, which goes on: its (short)
	 * body is read so that the connection can be reused by the request sent again.
	 */
	void release() {
		try {
			drain();
		}
		catch (IOException ex) {
			// The connection is closed below, and the request sent on another
		}
		if (this.response instanceof ModalCloseable closeable) {
			closeable.close(CloseMode.GRACEFUL);
		}
	}

	/** Cuts the connection: any read in progress ends with an exception. */
	void abort() {
		this.exchange.cancel();
	}

	/**
	 * Releases the connection: back to the pool when the body was read to its end, closed
	 * otherwise (never waits for the rest of a body).
	 */
	@Override
	public void close() {
		this.deadline.cancel();
		// A graceful close would read a body to its end first, which a stream may never
		// reach
		if (this.response instanceof ModalCloseable closeable) {
			closeable.close(CloseMode.IMMEDIATE);
		}
		else {
			abort();
		}
	}

}
