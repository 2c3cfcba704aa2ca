package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;

import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.pool.ConnPoolControl;
import org.apache.hc.core5.util.TimeValue;

/**
 * Sends a request once more, on a new connection, when a pooled connection turns out to
 * be dead: the backend closed it while it was idle, or restarted. Then it never read the
 * request, and nothing has been answered yet. The other idle connections to that backend
 * are closed too, since they are likely just as dead. Refused connections, timeouts and
 * cancelled exchanges are not retried; nor are HTTP answers of any status.
 */
final class DeadConnectionRetry implements HttpRequestRetryStrategy {

	private final ConnPoolControl<?> pool;

	DeadConnectionRetry(ConnPoolControl<?> pool) {
		this.pool = pool;
	}

	@Override
	public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
		if (execCount > 1 || !isDeadConnection(exception)) {
			return false;
		}
		this.pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
		return true;
	}

	private static boolean isDeadConnection(IOException exception) {
		if (exception instanceof NoHttpResponseException) {
			return true;
		}
		// Reset or broken pipe while sending; not a refused connection (the backend is
		// down: a second try would only be refused again) nor an interrupted exchange
		return exception instanceof SocketException && !(exception instanceof ConnectException)
				&& !(exception instanceof InterruptedIOException);
	}

	@Override
	public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
		return false;
	}

	@Override
	public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
		return TimeValue.ZERO_MILLISECONDS;
	}

}
