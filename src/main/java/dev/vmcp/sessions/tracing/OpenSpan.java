package dev.vmcp.sessions.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * A span started by {@link Traces}, current on the thread that started it until
 * {@link #close()} ends it there. {@link #NONE} when tracing is off: every method does
 * nothing. Not thread-safe: one thread starts, tags and closes it.
 */
public final class OpenSpan implements AutoCloseable {

	/** The OpenTelemetry attribute that classifies a failure. */
	public static final String ERROR_TYPE = "error.type";

	/** No span: what {@link Traces} starts when tracing is off. */
	public static final OpenSpan NONE = new OpenSpan(null, null);

	private final @Nullable Span span;

	private final Tracer.@Nullable SpanInScope scope;

	OpenSpan(@Nullable Span span, Tracer.@Nullable SpanInScope scope) {
		this.span = span;
		this.scope = scope;
	}

	public OpenSpan tag(String key, String value) {
		if (this.span != null) {
			this.span.tag(key, value);
		}
		return this;
	}

	/**
	 * Marks the span failed: {@code error.type} and an error status whose description is
	 * {@code description}.
	 */
	public void fail(String errorType, String description) {
		if (this.span != null) {
			this.span.tag(ERROR_TYPE, errorType);
			this.span.error(new Failure(description));
		}
	}

	/** Marks the span failed by {@code failure}, its class as {@code error.type}. */
	public void fail(Throwable failure) {
		if (this.span != null) {
			this.span.tag(ERROR_TYPE, failure.getClass().getName());
			this.span.error(failure);
		}
	}

	/** Ends the span and makes the one it replaced current again. */
	@Override
	public void close() {
		if (this.span != null && this.scope != null) {
			this.scope.close();
			this.span.end();
		}
	}

	/**
	 * What failed, where no exception was thrown (an error answer): the span's error
	 * status takes its message; no stack is taken, there is none worth showing.
	 */
	private static final class Failure extends RuntimeException {

		Failure(String message) {
			super(message, null, false, false);
		}

	}

}
