package dev.vmcp.sessions.mcp.v2025;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;

class QuestionIdsTests {

	@Test
	void anIdNamesTheParkedCallTheRoundAndTheMembersKeyEvenWithSlashesInIt() {
		QuestionIds.Question question = QuestionIds.parse(QuestionIds.of("pk-abc_D-9", 3, "user/name")).orElseThrow();

		assertThat(question).isEqualTo(new QuestionIds.Question("pk-abc_D-9", 3, "user/name"));
	}

	@Test
	void idsOfMembersOwnRequestsAndOtherIdsNameNoQuestion() {
		assertThat(QuestionIds.parse(StringNode.valueOf("alpha/\"~pk-1/0/x\""))).isEmpty();
		assertThat(QuestionIds.parse(StringNode.valueOf("~pk-1/zero/x"))).isEmpty();
		assertThat(QuestionIds.parse(StringNode.valueOf("~pk-1"))).isEmpty();
		assertThat(QuestionIds.parse(StringNode.valueOf("~/0/x"))).isEmpty();
		assertThat(QuestionIds.parse(IntNode.valueOf(7))).isEmpty();
		assertThat(QuestionIds.parse(null)).isEmpty();
	}

}
