package dev.vmcp.sessions.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import dev.vmcp.sessions.session.LocalPodBroadcasts;
import dev.vmcp.sessions.session.MemorySessionStore;
import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.session.SessionInvalidations;
import dev.vmcp.sessions.session.SessionTtl;

/**
 * The embedded default: records in this pod's memory, nothing to tell other pods.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vmcp.session.store", havingValue = "memory", matchIfMissing = true)
class MemoryStoreConfiguration {

	@Bean
	MemorySessionStore memorySessionStore(SessionTtl ttl) {
		return new MemorySessionStore(ttl);
	}

	/**
	 * One pod: the service closes its own live session on terminate; no one else to tell.
	 */
	@Bean
	SessionInvalidations localInvalidations() {
		return (id) -> {
		};
	}

	@Bean
	PodBroadcasts localPodBroadcasts() {
		return new LocalPodBroadcasts();
	}

	@Bean
	MemoryStoreSweeper memoryStoreSweeper(MemorySessionStore store) {
		return new MemoryStoreSweeper(store);
	}

	/** Frees the memory of expired records; correctness never waits for it. */
	static final class MemoryStoreSweeper {

		private final MemorySessionStore store;

		MemoryStoreSweeper(MemorySessionStore store) {
			this.store = store;
		}

		@Scheduled(fixedDelayString = "${vmcp.session.memory-sweep-interval:60s}")
		void sweep() {
			this.store.removeExpired();
		}

	}

}
