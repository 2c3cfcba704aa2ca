package dev.vmcp.sessions.mcp;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredCapabilitiesTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void eachQuestionNeedsTheCapabilityOfItsKind() {
		JsonNode declared = JSON.readTree("{\"sampling\":{}}");

		assertThat(missing("{\"method\":\"elicitation/create\",\"params\":{}}", declared))
			.isEqualTo("{\"elicitation\":{}}");
		assertThat(missing("{\"method\":\"roots/list\"}", declared)).isEqualTo("{\"roots\":{}}");
		assertThat(missing("{\"method\":\"sampling/createMessage\",\"params\":{}}", declared)).isEqualTo("{}");
	}

	@Test
	void urlElicitationAndSamplingWithToolsNeedTheirSubCapabilities() {
		JsonNode declared = JSON.readTree("{\"elicitation\":{\"form\":{}},\"sampling\":{}}");

		assertThat(missing("{\"method\":\"elicitation/create\",\"params\":{\"mode\":\"url\"}}", declared))
			.isEqualTo("{\"elicitation\":{\"url\":{}}}");
		assertThat(missing("{\"method\":\"elicitation/create\",\"params\":{\"mode\":\"form\"}}", declared))
			.isEqualTo("{}");
		assertThat(missing("{\"method\":\"sampling/createMessage\",\"params\":{\"tools\":[]}}", declared))
			.isEqualTo("{\"sampling\":{\"tools\":{}}}");
	}

	@Test
	void aMethodNoCapabilityCoversNeedsNothingDeclared() {
		assertThat(missing("{\"method\":\"ping\"}", JSON.readTree("{}"))).isEqualTo("{}");
	}

	private static String missing(String question, JsonNode declared) {
		return JSON.writeValueAsString(RequiredCapabilities.missing(JSON.readTree(question), declared));
	}

}
