package dev.vmcp.sessions.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

import dev.vmcp.sessions.session.LiveSessionCache;

/**
 * On shutdown, once the web server has drained its in-flight requests, closes this pod's
 * backend connections. Sessions are not terminated: another pod restores them.
 */
class LiveSessionsShutdown implements SmartLifecycle {

	/** After the graceful web server shutdown and the web server stop. */
	static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;

	private static final Logger logger = LoggerFactory.getLogger(LiveSessionsShutdown.class);

	private final LiveSessionCache cache;

	private volatile boolean running;

	LiveSessionsShutdown(LiveSessionCache cache) {
		this.cache = cache;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		logger.info("Closing {} live sessions held by this pod; the sessions live on", this.cache.size());
		this.cache.invalidateAll();
		this.cache.cleanUp();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
