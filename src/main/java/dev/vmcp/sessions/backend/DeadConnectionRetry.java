package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;

import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.pool.ConnPoolControl;
import org.apache.hc.core5.util.TimeValue;

/**
 * Sends a request once more, on a new connection, when its pooled connection turns out to
 * be dead: the backend closed it while it was idle, or restarted. The other idle
 * connections to that backend are closed too, since they are likely just as dead.
 * <p>
 * A {@code GET} or {@code DELETE} is sent again after a reset or a broken pipe too. A
 * {@code POST} (a tool call, say) is sent again only when a connection that had answered
 * before gave no answer at all: the race of a request sent just as the backend closed its
 * idle connection, which a backend never read. Refused connections, timeouts, cancelled
 * exchanges and HTTP answers of any status are never retried.
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
		return isIdempotent(request) || (exception instanceof NoHttpResponseException && hadAnsweredBefore(context));
	}

	private static boolean isDeadConnection(IOException exception) {
		return exception instanceof NoHttpResponseException || (exception instanceof SocketException
				&& !(exception instanceof ConnectException) && !(exception instanceof InterruptedIOException));
	}

	private static boolean isIdempotent(HttpRequest request) {
		return Method.GET.isSame(request.getMethod()) || Method.DELETE.isSame(request.getMethod());
	}

	private static boolean hadAnsweredBefore(HttpContext context) {
		EndpointDetails connection = HttpCoreContext.castOrCreate(context).getEndpointDetails();
		return connection != null && connection.getResponseCount() > 0;
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
