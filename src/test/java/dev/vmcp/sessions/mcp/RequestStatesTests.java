package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway's wrapping of members' request states: only the caller it was handed to, on
 * the request it was handed for, before its deadline, unaltered, gets the member's state
 * back; a pod with the same secret unwraps what another pod wrapped.
 */
class RequestStatesTests {

	private static final String CALL = "tools/call\0confirm";

	private final MutableClock clock = MutableClock.startingNow();

	private final RequestStates pod = states(new OwnerBindings("shared".getBytes()));

	private final Caller alice = new Caller("hmac:alice", false);

	@Test
	void anotherPodWithTheSameSecretUnwrapsTheMembersOwnState() {
		String wrapped = this.pod.wrap(this.alice, CALL, "gamma", "member-state");

		RequestStates.Unwrapped unwrapped = states(new OwnerBindings("shared".getBytes())).unwrap(this.alice, CALL,
				wrapped);

		assertThat(unwrapped).isEqualTo(new RequestStates.Unwrapped("gamma", "member-state"));
	}

	@Test
	void anotherCallerAnotherRequestAnotherSecretOrAnAlterationIsRefused() {
		String wrapped = this.pod.wrap(this.alice, CALL, "gamma", "member-state");

		assertRefused(() -> this.pod.unwrap(new Caller("hmac:mallory", false), CALL, wrapped));
		assertRefused(() -> this.pod.unwrap(this.alice, "tools/call\0delete", wrapped));
		assertRefused(() -> states(new OwnerBindings("other".getBytes())).unwrap(this.alice, CALL, wrapped));
		String[] parts = wrapped.split("\\.");
		String otherPayload = this.pod.wrap(this.alice, CALL, "delta", "member-state").split("\\.")[1];
		assertRefused(() -> this.pod.unwrap(this.alice, CALL, parts[0] + "." + otherPayload + "." + parts[2]));
		assertRefused(() -> this.pod.unwrap(this.alice, CALL, "member-state"));
	}

	@Test
	void aStatePastItsDeadlineIsRefused() {
		String wrapped = this.pod.wrap(this.alice, CALL, "gamma", "member-state");
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));

		assertRefused(() -> this.pod.unwrap(this.alice, CALL, wrapped));
	}

	@Test
	void aParkedCallsStateNamesItsCallRoundAndQuestionsAndLivesAsLongAsTheCallWaits() {
		RequestStates.ParkedState parked = new RequestStates.ParkedState("pk-1", 2, Map.of("elicitation-3", "7"));
		String wrapped = this.pod.wrapParked(this.alice, CALL, "alpha", parked);

		assertThat(this.pod.unwrap(this.alice, CALL, wrapped).parked()).isEqualTo(parked);
		assertThat(this.pod.unwrap(this.alice, CALL, wrapped).member()).isEqualTo("alpha");
		assertRefused(() -> this.pod.unwrap(new Caller("hmac:mallory", false), CALL, wrapped));
		this.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
		assertRefused(() -> this.pod.unwrap(this.alice, CALL, wrapped));
	}

	private RequestStates states(OwnerBindings bindings) {
		return new RequestStates(bindings, JsonMapper.builder().build(), Duration.ofMinutes(10), Duration.ofMinutes(5),
				this.clock);
	}

	private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
		assertThatThrownBy(call).isInstanceOfSatisfying(JsonRpcError.class,
				(error) -> assertThat(error.code()).isEqualTo(JsonRpc.INVALID_PARAMS));
	}

}
