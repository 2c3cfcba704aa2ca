package dev.vmcp.sessions.audit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canonical JSON that argument digests are taken of.
 */
class ArgumentDigestTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void membersAreSortedAtEveryDepthAndArraysKeepTheirOrder() {
		String canonical = ArgumentDigest
			.canonical(JSON.readTree("{ \"b\": [3, {\"z\": 1, \"a\": null}], \"a\": \"x\\u00e9\", \"B\": true }"));

		assertThat(canonical).isEqualTo("{\"B\":true,\"a\":\"xé\",\"b\":[3,{\"a\":null,\"z\":1}]}");
	}

	@Test
	void theDigestIsTheSha256OfTheCanonicalTextInLowercaseHex() {
		// echo -n '{"a":"x","b":1}' | sha256sum
		assertThat(ArgumentDigest.of(JSON.readTree("{\"b\": 1, \"a\": \"x\"}")))
			.isEqualTo("cdab067e9f3beb32d1252cfd63e492592fecbf591b0d08cadb24bb17f3864246");
	}

}
