package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.pool.ConnPoolControl;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Which failed exchanges are sent once more: never one that a backend may have read.
 */
class DeadConnectionRetryTests {

	private final ConnPoolControl<?> pool = mock(ConnPoolControl.class);

	private final DeadConnectionRetry retry = new DeadConnectionRetry(this.pool);

	@Test
	void aPostWithNoAnswerOnAConnectionThatHadAnsweredBeforeIsSentAgainAndIdleConnectionsClosed() {
		assertThat(this.retry.retryRequest(post(), new NoHttpResponseException("no bytes"), 1, connection(3))).isTrue();
		verify(this.pool).closeIdle(TimeValue.ZERO_MILLISECONDS);
	}

	@Test
	void aPostOnAFreshConnectionOrBrokenOffMidwayIsNotSentAgain() {
		assertThat(this.retry.retryRequest(post(), new NoHttpResponseException("no bytes"), 1, connection(0)))
			.isFalse();
		assertThat(this.retry.retryRequest(post(), new SocketException("Connection reset"), 1, connection(3)))
			.isFalse();
	}

	@Test
	void aGetOrADeleteIsSentAgainAfterAResetToo() {
		assertThat(this.retry.retryRequest(request("GET"), new SocketException("Connection reset"), 1, connection(0)))
			.isTrue();
		assertThat(this.retry.retryRequest(request("DELETE"), new SocketException("Broken pipe"), 1, connection(0)))
			.isTrue();
	}

	@Test
	void refusalsTimeoutsCancellationsSecondTriesAndAnswersAreNeverRetried() {
		for (IOException failure : new IOException[] { new ConnectException("refused"),
				new SocketTimeoutException("timeout"), new InterruptedIOException("Request aborted") }) {
			assertThat(this.retry.retryRequest(request("GET"), failure, 1, connection(3))).as(failure.toString())
				.isFalse();
		}
		assertThat(this.retry.retryRequest(post(), new NoHttpResponseException("no bytes"), 2, connection(3)))
			.isFalse();
		assertThat(this.retry.retryRequest(new BasicHttpResponse(503), 1, connection(3))).isFalse();
		verify(this.pool, never()).closeIdle(any());
	}

	private static HttpRequest post() {
		return request("POST");
	}

	private static HttpRequest request(String method) {
		return new BasicHttpRequest(method, "/mcp");
	}

	/**
	 * The context of an exchange on a connection that had given {@code responses}
	 * answers.
	 */
	private static HttpCoreContext connection(long responses) {
		HttpCoreContext context = HttpCoreContext.create();
		context.setEndpointDetails(new EndpointDetails(new InetSocketAddress(1), new InetSocketAddress(2), null) {
			@Override
			public long getRequestCount() {
				return responses + 1;
			}

			@Override
			public long getResponseCount() {
				return responses;
			}

			@Override
			public long getSentBytesCount() {
				return 0;
			}

			@Override
			public long getReceivedBytesCount() {
				return 0;
			}
		});
		return context;
	}

}
