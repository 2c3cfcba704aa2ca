package dev.vmcp.sessions.mcp;

import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.Caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Task ids the gateway hands out: the same task always gets the same id, any pod with the
 * secret reads it back, and only for the caller who got it.
 */
class TaskIdsTests {

	private final TaskIds pod = new TaskIds(new OwnerBindings("shared".getBytes()));

	private final Caller alice = new Caller("hmac:alice", false);

	@Test
	void anotherPodReadsTheMemberAndItsOwnIdBackAndTheIdNeverChanges() {
		String taskId = this.pod.wrap(this.alice, "gamma", "task/1 with spaces");

		assertThat(taskId).isEqualTo(this.pod.wrap(this.alice, "gamma", "task/1 with spaces"));
		assertThat(new TaskIds(new OwnerBindings("shared".getBytes())).unwrap(this.alice, taskId))
			.isEqualTo(new TaskIds.MemberTask("gamma", "task/1 with spaces", null));
	}

	@Test
	void anIdNamingTheSessionOfItsTaskReadsBackWithItAndCannotLoseIt() {
		String taskId = this.pod.wrap(this.alice, "tasker", "task-1", "cs0-session");

		assertThat(this.pod.unwrap(this.alice, taskId))
			.isEqualTo(new TaskIds.MemberTask("tasker", "task-1", "cs0-session"));
		String[] parts = taskId.split("\\.");
		String withoutSession = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[4];
		assertThatThrownBy(() -> this.pod.unwrap(this.alice, withoutSession)).isInstanceOf(JsonRpcError.class);
		assertThat(taskId).isNotEqualTo(this.pod.wrap(this.alice, "tasker", "task-1"));
	}

	@Test
	void anotherCallersIdOrAnAlteredOneIsAnUnknownTask() {
		String taskId = this.pod.wrap(this.alice, "gamma", "task-1");
		String[] parts = taskId.split("\\.");
		String otherMember = this.pod.wrap(this.alice, "delta", "task-1").split("\\.")[1];

		for (String refused : new String[] { taskId + "x",
				parts[0] + "." + otherMember + "." + parts[2] + "." + parts[3], "task-1" }) {
			assertThatThrownBy(() -> this.pod.unwrap(this.alice, refused)).isInstanceOf(JsonRpcError.class);
		}
		assertThatThrownBy(() -> this.pod.unwrap(new Caller("hmac:mallory", false), taskId)).isInstanceOfSatisfying(
				JsonRpcError.class, (error) -> assertThat(error.code()).isEqualTo(JsonRpc.INVALID_PARAMS));
	}

}
