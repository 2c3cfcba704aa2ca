package dev.vmcp.sessions.mcp.v2025;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;

import dev.vmcp.sessions.config.SessionProperties;
import dev.vmcp.sessions.mcp.McpProperties;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.redis.RedisEventLog;
import dev.vmcp.sessions.session.EventLog;
import dev.vmcp.sessions.session.MemoryEventLog;
import dev.vmcp.sessions.session.SessionMetrics;
import dev.vmcp.sessions.session.TimedCalls;
import dev.vmcp.sessions.session.TimedEventLog;

/**
 * Wires the resumption of 2025 clients' streams: the event log beside the session store
 * ({@code vmcp.session.store}), each call under its own deadline, the streams that keep
 * their events, and the replays of {@code GET} with {@code Last-Event-ID}.
 */
@Configuration(proxyBeanMethods = false)
class ResumptionConfiguration {

	/** With the Redis store, every pod finds every stream's events. */
	@Bean
	@ConditionalOnProperty(name = "vmcp.session.store", havingValue = "redis")
	RedisEventLog redisEventLog(StringRedisTemplate redis, SessionProperties sessionProperties,
			McpProperties properties) {
		return new RedisEventLog(redis, sessionProperties.keyPrefix(), properties.replayWindow(),
				properties.replayMaxEvents());
	}

	/** With the memory store, one pod: the events in its memory. */
	@Bean
	@ConditionalOnProperty(name = "vmcp.session.store", havingValue = "memory", matchIfMissing = true)
	MemoryEventLog memoryEventLog(McpProperties properties, Clock clock) {
		return new MemoryEventLog(properties.replayWindow(), properties.replayMaxEvents(), clock);
	}

	@Bean
	TimedEventLog timedEventLog(EventLog eventLog, TimeLimiterRegistry timeLimiters,
			ScheduledExecutorService sessionStoreDeadlines, SessionMetrics metrics) {
		return new TimedEventLog(eventLog, timeLimiters.timeLimiter(TimedEventLog.TIME_LIMITER),
				new TimedCalls(sessionStoreDeadlines, metrics));
	}

	@Bean
	ResumableStreams resumableStreams(TimedEventLog eventLog, McpSignals signals, McpProperties properties) {
		return new ResumableStreams(eventLog, signals, properties.streamRetry(), properties.streamPollInterval());
	}

	@Bean
	StreamReplays streamReplays(TimedEventLog eventLog, StandaloneStreams standaloneStreams, McpSignals signals,
			McpProperties properties) {
		return new StreamReplays(eventLog, standaloneStreams, signals, properties.keepAliveInterval());
	}

	/**
	 * On shutdown, as the standalone streams do, the resumed streams this pod relays end,
	 * and their clients resume them on another pod.
	 */
	@Bean
	ApplicationListener<ContextClosedEvent> endResumedStreamsOnShutdown(StreamReplays replays) {
		return (event) -> replays.endAll();
	}

	@Bean
	@ConditionalOnProperty(name = "vmcp.session.store", havingValue = "memory", matchIfMissing = true)
	MemoryEventLogSweeper memoryEventLogSweeper(MemoryEventLog eventLog) {
		return new MemoryEventLogSweeper(eventLog);
	}

	/** Frees the memory of expired streams; reads never wait for it. */
	static final class MemoryEventLogSweeper {

		private final MemoryEventLog eventLog;

		MemoryEventLogSweeper(MemoryEventLog eventLog) {
			this.eventLog = eventLog;
		}

		@Scheduled(fixedDelayString = "${vmcp.session.memory-sweep-interval:60s}")
		void sweep() {
			this.eventLog.removeExpired();
		}

	}

}
