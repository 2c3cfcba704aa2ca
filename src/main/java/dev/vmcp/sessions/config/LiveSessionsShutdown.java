package dev.vmcp.sessions.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

import dev.vmcp.sessions.session.EvictedSessionWatch;
import dev.vmcp.sessions.session.LiveSessionCache;
import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.session.SessionId;

/**
 * On shutdown, once the web server has drained its in-flight requests, closes this pod's
 * backend connections. Sessions are not terminated: another pod restores them. The other
 * pods are told which sessions this pod held or watched, with their backend sessions, so
 * that they end the backend sessions of those nobody uses again once their records
 * expire, or at once if a record has expired already.
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

	private final PodBroadcasts broadcasts;

	private volatile boolean running;

	LiveSessionsShutdown(LiveSessionCache cache, EvictedSessionWatch watch, PodBroadcasts broadcasts) {
		this.cache = cache;
		this.watch = watch;
		this.broadcasts = broadcasts;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		Map<SessionId, String> handedOver = new LinkedHashMap<>();
		this.watch.handOver(this.cache.sessions()).forEach((id, session) -> handedOver.put(id, session.detail()));
		logger.info("Closing {} live sessions held by this pod and handing {} sessions over to the other pods; "
				+ "the sessions live on", this.cache.size(), handedOver.size());
		this.broadcasts.publishAll(EvictedSessionWatch.HANDOVER_TOPIC, handedOver, HANDOVER_TIMEOUT);
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
