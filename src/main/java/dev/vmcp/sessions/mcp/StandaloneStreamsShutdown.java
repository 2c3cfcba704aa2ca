package dev.vmcp.sessions.mcp;

import org.springframework.context.SmartLifecycle;

/**
 * On shutdown, before the web server drains its requests, ends the clients' standalone
 * streams: they would never finish by themselves and would hold the graceful shutdown to
 * its timeout. Their clients open them again on another pod.
 */
final class StandaloneStreamsShutdown implements SmartLifecycle {

	private final StandaloneStreams streams;

	private volatile boolean running;

	StandaloneStreamsShutdown(StandaloneStreams streams) {
		this.streams = streams;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.streams.endAll();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stopped first: before the graceful shutdown of the web server waits. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
