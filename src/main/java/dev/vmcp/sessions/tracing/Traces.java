package dev.vmcp.sessions.tracing;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * Starts the gateway's spans and hands the current trace context on. With tracing off
 * ({@link #OFF}, or a no-op tracer) nothing is started and nothing is handed on: each
 * method returns at its first line. Thread-safe.
 */
public final class Traces {

	/** No spans, no trace context handed on. */
	public static final Traces OFF = new Traces(Tracer.NOOP, Propagator.NOOP);

	/** The W3C Trace Context field that names the parent span. */
	public static final String TRACEPARENT = "traceparent";

	private final Tracer tracer;

	private final Propagator propagator;

	private final boolean on;

	public Traces(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
		this.on = tracer != Tracer.NOOP;
	}

	/** Whether spans are made at all. */
	public boolean isOn() {
		return this.on;
	}

	/**
	 * Starts a server span, current on this thread until it is closed. Its parent is the
	 * context a remote caller wrote into {@code carrier} when there is one, and the
	 * current span is then linked; otherwise the current span is its parent.
	 * @param carrier the caller's trace context fields by name ({@code traceparent},
	 * {@code tracestate}), null when there are none
	 */
	public OpenSpan server(String name, Function<String, @Nullable String> carrier, Map<String, String> attributes) {
		if (!this.on) {
			return OpenSpan.NONE;
		}
		Span.Builder builder = (carrier.apply(TRACEPARENT) != null) ? remoteChild(carrier) : this.tracer.spanBuilder();
		return start(builder.kind(Span.Kind.SERVER), name, attributes);
	}

	/** Starts a client span, child of the current span, current until it is closed. */
	public OpenSpan client(String name, Map<String, String> attributes) {
		if (!this.on) {
			return OpenSpan.NONE;
		}
		return start(this.tracer.spanBuilder().kind(Span.Kind.CLIENT), name, attributes);
	}

	/**
	 * Writes the current trace context ({@code traceparent}, {@code tracestate}) with
	 * {@code field}; nothing when tracing is off or no span is current.
	 */
	public void injectCurrent(BiConsumer<String, String> field) {
		if (!this.on) {
			return;
		}
		TraceContext current = this.tracer.currentTraceContext().context();
		if (current != null) {
			this.propagator.inject(current, field, BiConsumer::accept);
		}
	}

	/**
	 * {@code executor}, its tasks run in the trace context current where they were
	 * submitted, so that what a request fans out (members opened or listed in parallel)
	 * stays in its trace; {@code executor} itself when tracing is off.
	 */
	public ExecutorService propagating(ExecutorService executor) {
		return this.on ? Context.taskWrapping(executor) : executor;
	}

	private Span.Builder remoteChild(Function<String, @Nullable String> carrier) {
		Span.Builder builder = this.propagator.extract(carrier, (fields, key) -> fields.apply(key));
		TraceContext ambient = this.tracer.currentTraceContext().context();
		// The transport's context (the HTTP request's) stays reachable from the span
		return (ambient != null) ? builder.addLink(new Link(ambient)) : builder;
	}

	private OpenSpan start(Span.Builder builder, String name, Map<String, String> attributes) {
		builder.name(name);
		attributes.forEach(builder::tag);
		Span span = builder.start();
		return new OpenSpan(span, this.tracer.withSpan(span));
	}

}
