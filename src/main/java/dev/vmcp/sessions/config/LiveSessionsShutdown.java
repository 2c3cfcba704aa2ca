package dev.vmcp.sessions.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

import dev.vmcp.sessions.session.EvictedSessionWatch;
import dev.vmcp.sessions.session.LiveSessionCache;
import dev.vmcp.sessions.session.SessionHandover;
import dev.vmcp.sessions.session.SessionId;

/**
 * On shutdown, once the web server has drained its in-flight requests, closes this pod's
 * backend connections. Sessions are not terminated: another pod restores them. The
 * sessions this pod held or watched are handed over, each to one other pod, which ends
 * their backend sessions if nobody uses them again before their records expire.
 */
class LiveSessionsShutdown implements SmartLifecycle {

	/** After the graceful web server shutdown and the web server stop. */
	static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;

	/**
	 * Longest wait for the handover to reach the broker: the connections close right
	 * after, and a slow broker must not hold up the shutdown.
	 */
	static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(2);

	private static final Logger logger = LoggerFactory.getLogger(LiveSessionsShutdown.class);

	private final LiveSessionCache cache;

	private final EvictedSessionWatch watch;

	private final SessionHandover handover;

	private volatile boolean running;

	LiveSessionsShutdown(LiveSessionCache cache, EvictedSessionWatch watch, SessionHandover handover) {
		this.cache = cache;
		this.watch = watch;
		this.handover = handover;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		Set<SessionId> handedOver = new LinkedHashSet<>(this.cache.ids());
		handedOver.addAll(this.watch.ids());
		// Stopped first: nothing is adopted from here on.
		this.watch.stop();
		logger.info("Closing {} live sessions held by this pod and handing {} sessions over to the other pods; "
				+ "the sessions live on", this.cache.size(), handedOver.size());
		this.handover.handOver(handedOver, HANDOVER_TIMEOUT);
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
