package dev.vmcp.sessions.mcp.bridge;

import java.util.concurrent.ScheduledExecutorService;

import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.vmcp.sessions.config.SessionProperties;
import dev.vmcp.sessions.mcp.McpProperties;
import dev.vmcp.sessions.session.ParkedCallStore;
import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.session.SessionMetrics;
import dev.vmcp.sessions.session.TimedCalls;
import dev.vmcp.sessions.tracing.Traces;

/**
 * Wires the calls parked across pods, on the store the pods share.
 */
@Configuration(proxyBeanMethods = false)
class BridgeConfiguration {

	/**
	 * Closed before the store: a pod that stops tells whoever resumes the calls it holds
	 * that they are lost.
	 */
	@Bean(destroyMethod = "close")
	ParkedCalls parkedCalls(ParkedCallStore store, TimeLimiterRegistry timeLimiters,
			ScheduledExecutorService sessionStoreDeadlines, SessionMetrics metrics, PodBroadcasts broadcasts,
			McpProperties properties, SessionProperties sessionProperties, Traces traces) {
		Traces storeTraces = (sessionProperties.store() == SessionProperties.StoreType.REDIS) ? traces : Traces.OFF;
		return new ParkedCalls(store, new TimedCalls(sessionStoreDeadlines, metrics, storeTraces),
				timeLimiters.timeLimiter(ParkedCalls.TIME_LIMITER), broadcasts, properties.inputWait());
	}

}
