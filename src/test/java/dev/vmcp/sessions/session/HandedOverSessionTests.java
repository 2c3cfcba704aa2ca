package dev.vmcp.sessions.session;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detail of a handover message: what one pod writes, another reads back.
 */
class HandedOverSessionTests {

	@Test
	void theIncarnationAndTheBackendSessionsTravelInTheDetail() {
		HandedOverSession session = new HandedOverSession(1767225600123L, Map.of("alpha", "a-1", "beta.v2", "b=1/x~"));
		assertThat(HandedOverSession.parse(session.detail())).isEqualTo(session);
	}

	@Test
	void aMemberConnectionWithoutASessionIsLeftOut() {
		HandedOverSession session = new HandedOverSession(7, Map.of("alpha", "a-1", "gamma", ""));
		assertThat(session.detail()).isEqualTo("@7 alpha=a-1");
	}

	@Test
	void aPodOfThePreviousVersionSendsNoDetail() {
		assertThat(HandedOverSession.parse(""))
			.isEqualTo(new HandedOverSession(HandedOverSession.UNKNOWN_INCARNATION, Map.of()));
	}

	@Test
	void whatCannotBeReadIsLeftOut() {
		assertThat(HandedOverSession.parse("@soon =x y= alpha=a-1"))
			.isEqualTo(new HandedOverSession(HandedOverSession.UNKNOWN_INCARNATION, Map.of("alpha", "a-1")));
	}

}
