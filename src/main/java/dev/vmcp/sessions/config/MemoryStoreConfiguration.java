package dev.vmcp.sessions.config;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import dev.vmcp.sessions.session.LocalPodBroadcasts;
import dev.vmcp.sessions.session.MemoryParkedCallStore;
import dev.vmcp.sessions.session.MemorySessionQuota;
import dev.vmcp.sessions.session.MemorySessionStore;
import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.session.SessionEvents;
import dev.vmcp.sessions.session.SessionInvalidations;
import dev.vmcp.sessions.session.SessionTtl;

/**
 * The embedded default: records in this pod's memory, nothing to tell other pods.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vmcp.session.store", havingValue = "memory", matchIfMissing = true)
class MemoryStoreConfiguration {

	@Bean
	MemorySessionStore memorySessionStore(SessionTtl ttl, SessionEvents events) {
		return new MemorySessionStore(ttl, events);
	}

	/** One pod: each caller's live sessions counted in its memory. */
	@Bean
	MemorySessionQuota memorySessionQuota(MemorySessionStore store, SessionTtl ttl, SessionProperties properties) {
		return new MemorySessionQuota(properties.maxPerCaller(), store, ttl);
	}

	/**
	 * One pod: the service closes its own live session on terminate; no one else to tell.
	 */
	@Bean
	SessionInvalidations localInvalidations() {
		return (id) -> {
		};
	}

	/** One pod: calls parked for their clients' answers in its memory. */
	@Bean
	MemoryParkedCallStore memoryParkedCallStore(Clock clock) {
		return new MemoryParkedCallStore(clock);
	}

	@Bean
	PodBroadcasts localPodBroadcasts() {
		return new LocalPodBroadcasts();
	}

	@Bean
	MemoryStoreSweeper memoryStoreSweeper(MemorySessionStore store, MemorySessionQuota quota) {
		return new MemoryStoreSweeper(store, quota);
	}

	/**
	 * Frees the memory of expired records and of the quota slots they held; correctness
	 * never waits for it.
	 */
	static final class MemoryStoreSweeper {

		private final MemorySessionStore store;

		private final MemorySessionQuota quota;

		MemoryStoreSweeper(MemorySessionStore store, MemorySessionQuota quota) {
			this.store = store;
			this.quota = quota;
		}

		@Scheduled(fixedDelayString = "${vmcp.session.memory-sweep-interval:60s}")
		void sweep() {
			this.quota.removeEnded();
			this.store.removeExpired();
		}

	}

}
