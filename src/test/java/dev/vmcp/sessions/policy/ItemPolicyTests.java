package dev.vmcp.sessions.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.policy.PolicyProperties.Effect;
import dev.vmcp.sessions.policy.PolicyProperties.Rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ItemPolicyTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final JsonNode DESTRUCTIVE = JSON
		.readTree("{\"name\":\"drop\",\"annotations\":{\"destructiveHint\":true}}");

	private static final JsonNode READ_ONLY = JSON
		.readTree("{\"name\":\"list\",\"annotations\":{\"readOnlyHint\":true}}");

	private static final JsonNode PLAIN = JSON.readTree("{\"name\":\"echo\",\"description\":null}");

	private static final Map<String, Object> OPS = Map.of("sub", "ana", "groups", List.of("ops", "dev"), "exp",
			Instant.parse("2030-01-01T00:00:00Z"));

	private static final Map<String, Object> DEV = Map.of("sub", "bo", "groups", List.of("dev"));

	private static final Rule DESTRUCTIVE_FOR_OPS_ONLY = new Rule("destructive-for-ops", Effect.DENY,
			"has(item.annotations) && has(item.annotations.destructiveHint) && item.annotations.destructiveHint"
					+ " && !('ops' in claims.groups)");

	@Test
	void noRulesShowEverything() {
		assertThat(ItemPolicy.NONE.shows(DEV, "alpha", "tool", DESTRUCTIVE)).isTrue();
		assertThat(ItemPolicy.compile(List.of()).isEmpty()).isTrue();
	}

	@Test
	void aDenyRuleHidesWhatItMatchesForWhomItMatches() {
		ItemPolicy policy = ItemPolicy.compile(List.of(DESTRUCTIVE_FOR_OPS_ONLY));

		assertThat(policy.shows(DEV, "alpha", "tool", DESTRUCTIVE)).isFalse();
		assertThat(policy.shows(OPS, "alpha", "tool", DESTRUCTIVE)).isTrue();
		assertThat(policy.shows(DEV, "alpha", "tool", READ_ONLY)).isTrue();
		assertThat(policy.shows(DEV, "alpha", "tool", PLAIN)).as("no annotations at all").isTrue();
	}

	@Test
	void allowRulesShowOnlyWhatOneOfThemMatchesAndDenyWins() {
		ItemPolicy policy = ItemPolicy.compile(List.of(
				new Rule("read-only-for-all", Effect.ALLOW,
						"has(item.annotations) && has(item.annotations.readOnlyHint) && item.annotations.readOnlyHint"),
				new Rule("alpha-for-ops", Effect.ALLOW, "member == 'alpha' && 'ops' in claims.groups"),
				new Rule("no-drop", Effect.DENY, "kind == 'tool' && item.name == 'drop'")));

		assertThat(policy.shows(DEV, "alpha", "tool", READ_ONLY)).isTrue();
		assertThat(policy.shows(DEV, "alpha", "tool", PLAIN)).isFalse();
		assertThat(policy.shows(OPS, "alpha", "tool", PLAIN)).isTrue();
		assertThat(policy.shows(OPS, "beta", "tool", PLAIN)).isFalse();
		assertThat(policy.shows(OPS, "alpha", "tool", DESTRUCTIVE)).as("deny wins").isFalse();
		assertThat(policy.shows(OPS, "alpha", "prompt", DESTRUCTIVE)).isTrue();
	}

	@Test
	void claimsOfEveryShapeCanBeCompared() {
		ItemPolicy policy = ItemPolicy.compile(List
			.of(new Rule("expired-in-the-past", Effect.DENY, "claims.exp < 1800000000 || claims.sub.startsWith('b')")));

		assertThat(policy.shows(OPS, "alpha", "tool", PLAIN)).as("exp is 2030: seconds since the epoch").isTrue();
		assertThat(policy.shows(Map.of("sub", "bo", "exp", 1), "alpha", "tool", PLAIN)).isFalse();
	}

	@Test
	void theStringAndListExtensionsAreThere() {
		ItemPolicy policy = ItemPolicy.compile(List.of(new Rule("numbered", Effect.DENY,
				"item.name.lowerAscii().startsWith('tool-') && int(item.name.substring(5)) >= 500")));

		assertThat(policy.shows(DEV, "alpha", "tool", JSON.readTree("{\"name\":\"TOOL-0499\"}"))).isTrue();
		assertThat(policy.shows(DEV, "alpha", "tool", JSON.readTree("{\"name\":\"tool-0500\"}"))).isFalse();
	}

	@Test
	void aRuleThatFailsCountsAgainstTheCaller() {
		ItemPolicy deny = ItemPolicy
			.compile(List.of(new Rule("needs-groups", Effect.DENY, "!('ops' in claims.groups)")));
		ItemPolicy allow = ItemPolicy.compile(List.of(new Rule("ops", Effect.ALLOW, "'ops' in claims.groups")));

		Map<String, Object> noGroups = Map.of("sub", "anonymous-ish");
		assertThat(deny.shows(noGroups, "alpha", "tool", PLAIN)).as("a failed deny rule hides").isFalse();
		assertThat(allow.shows(noGroups, "alpha", "tool", PLAIN)).as("a failed allow rule does not show").isFalse();
	}

	@Test
	void aRuleThatDoesNotCompileNamesItsPropertyLineAndColumn() {
		assertThatExceptionOfType(PolicyCompilationException.class)
			.isThrownBy(() -> ItemPolicy.compile(List.of(DESTRUCTIVE_FOR_OPS_ONLY,
					new Rule("typo", Effect.DENY, "item.name == 'x' &&\n  itme.name == 'y'"))))
			.withMessageContaining("vmcp.policy.rules[1].when (rule 'typo')")
			.withMessageContaining("2:3")
			.withMessageContaining("itme");
		assertThatExceptionOfType(PolicyCompilationException.class)
			.isThrownBy(() -> ItemPolicy.compile(List.of(new Rule("not-boolean", Effect.DENY, "member + 'x'"))))
			.withMessageContaining("vmcp.policy.rules[0].when");
	}

	@Test
	void aRuleThatGivesNoBooleanCountsAgainstTheCaller() {
		ItemPolicy deny = ItemPolicy.compile(List.of(new Rule("dynamic", Effect.DENY, "item.name")));

		assertThat(deny.shows(DEV, "alpha", "tool", PLAIN)).isFalse();
	}

}
