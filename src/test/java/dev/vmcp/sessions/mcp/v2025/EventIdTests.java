package dev.vmcp.sessions.mcp.v2025;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdTests {

	@Test
	void anIdTheGatewayMadeReadsBackWithItsStreamAndSequence() {
		String stream = EventId.newRequestStream();

		EventId id = EventId.parse(stream + ":42").orElseThrow();

		assertThat(id.stream()).isEqualTo(stream);
		assertThat(id.sequence()).isEqualTo(42);
		assertThat(id.answersRequest()).isTrue();
		assertThat(id).hasToString(stream + ":42");
	}

	@Test
	void aStandaloneStreamSaysSo() {
		assertThat(EventId.parse(EventId.newStandaloneStream() + ":0").orElseThrow().answersRequest()).isFalse();
	}

	@Test
	void whatTheGatewayCannotHaveMadeIsNoId() {
		String stream = EventId.newRequestStream();
		assertThat(EventId.parse("")).isEmpty();
		assertThat(EventId.parse(stream)).isEmpty();
		assertThat(EventId.parse(stream + ":-1")).isEmpty();
		assertThat(EventId.parse(stream + ":01")).isEmpty();
		assertThat(EventId.parse(stream + ":99999999999999999999")).isEmpty();
		assertThat(EventId.parse("x" + stream.substring(1) + ":1")).isEmpty();
		assertThat(EventId.parse(stream + "extra:1")).isEmpty();
	}

}
