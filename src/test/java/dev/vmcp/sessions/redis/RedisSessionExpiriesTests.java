package dev.vmcp.sessions.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notification flags the pods ask Redis for: key-event notifications of expired keys,
 * added to what is set, never removing anything.
 */
class RedisSessionExpiriesTests {

	@Test
	void expiredKeyEventsAreAddedToWhatIsSet() {
		assertThat(RedisSessionExpiries.withExpiredKeyEvents("")).isEqualTo("Ex");
		assertThat(RedisSessionExpiries.withExpiredKeyEvents("Kg")).isEqualTo("KgEx");
		assertThat(RedisSessionExpiries.withExpiredKeyEvents("xE")).isEqualTo("xE");
		assertThat(RedisSessionExpiries.withExpiredKeyEvents("AK")).as("A holds x").isEqualTo("AKE");
	}

}
