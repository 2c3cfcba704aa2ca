package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request on which the SDK servlet's {@code startAsync()} does not really go
 * asynchronous. The servlet answers a JSON-RPC request by starting async processing,
 * writing an SSE event from a Reactor thread and then calling {@code complete()}. To turn
 * that stream into one JSON body the filter must see it whole before the response is
 * committed, so here {@code startAsync()} hands out an {@link AsyncContext} whose
 * {@code complete()} only signals {@link #awaitCompletion}, and the filter sends the
 * reshaped body on the container thread it is still running on.
 */
final class InlineAsyncRequest extends HttpServletRequestWrapper {

	private final ServletResponse response;

	private volatile InlineAsyncContext asyncContext;

	InlineAsyncRequest(HttpServletRequest request, ServletResponse response) {
		super(request);
		this.response = response;
	}

	/**
	 * Wait until the servlet has completed the async processing it started, if any.
	 * @param timeout how long to wait at most
	 * @return whether processing is complete (or was never started)
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean awaitCompletion(Duration timeout) throws InterruptedException {
		InlineAsyncContext context = this.asyncContext;
		return context == null || context.awaitCompletion(timeout);
	}

	@Override
	public AsyncContext startAsync() {
		return startAsync(this, this.response);
	}

	@Override
	public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
		this.asyncContext = new InlineAsyncContext(request, response);
		return this.asyncContext;
	}

	@Override
	public boolean isAsyncStarted() {
		InlineAsyncContext context = this.asyncContext;
		return context != null && !context.isComplete();
	}

	@Override
	public boolean isAsyncSupported() {
		return true;
	}

	@Override
	public AsyncContext getAsyncContext() {
		if (this.asyncContext == null) {
			throw new IllegalStateException("Async processing was not started");
		}
		return this.asyncContext;
	}

	private static final class InlineAsyncContext implements AsyncContext {

		private final ServletRequest request;

		private final ServletResponse response;

		private final List<AsyncListener> listeners = new CopyOnWriteArrayList<>();

		private final CountDownLatch completion = new CountDownLatch(1);

		private final AtomicBoolean completed = new AtomicBoolean();

		private volatile long timeout;

		InlineAsyncContext(ServletRequest request, ServletResponse response) {
			this.request = request;
			this.response = response;
		}

		boolean awaitCompletion(Duration timeout) throws InterruptedException {
			return this.completion.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		boolean isComplete() {
			return this.completed.get();
		}

		@Override
		public void complete() {
			if (this.completed.compareAndSet(false, true)) {
				notifyListenersOfCompletion();
				this.completion.countDown();
			}
		}

		@Override
		public ServletRequest getRequest() {
			return this.request;
		}

		@Override
		public ServletResponse getResponse() {
			return this.response;
		}

		@Override
		public boolean hasOriginalRequestAndResponse() {
			return true;
		}

		@Override
		public void dispatch() {
			throw new UnsupportedOperationException("The SDK servlet does not dispatch");
		}

		@Override
		public void dispatch(String path) {
			throw new UnsupportedOperationException("The SDK servlet does not dispatch");
		}

		@Override
		public void dispatch(ServletContext context, String path) {
			throw new UnsupportedOperationException("The SDK servlet does not dispatch");
		}

		@Override
		public void start(Runnable run) {
			Thread.ofVirtual().start(run);
		}

		@Override
		public void addListener(AsyncListener listener) {
			this.listeners.add(listener);
		}

		@Override
		public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
			this.listeners.add(listener);
		}

		@Override
		public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
			try {
				return type.getDeclaredConstructor().newInstance();
			}
			catch (ReflectiveOperationException ex) {
				throw new ServletException(ex);
			}
		}

		@Override
		public void setTimeout(long timeout) {
			this.timeout = timeout;
		}

		@Override
		public long getTimeout() {
			return this.timeout;
		}

		private void notifyListenersOfCompletion() {
			AsyncEvent event = new AsyncEvent(this, this.request, this.response);
			for (AsyncListener listener : this.listeners) {
				try {
					listener.onComplete(event);
				}
				catch (IOException ex) {
					// A listener failing must not keep the response from being sent
				}
			}
		}

	}

}
