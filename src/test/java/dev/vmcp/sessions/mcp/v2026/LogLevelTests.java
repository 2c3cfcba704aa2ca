package dev.vmcp.sessions.mcp.v2026;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogLevelTests {

	@Test
	void aLevelAdmitsItselfAndWhatIsMoreSevere() {
		assertThat(LogLevel.WARNING.admits("warning")).isTrue();
		assertThat(LogLevel.WARNING.admits("error")).isTrue();
		assertThat(LogLevel.WARNING.admits("emergency")).isTrue();
		assertThat(LogLevel.WARNING.admits("notice")).isFalse();
		assertThat(LogLevel.WARNING.admits("debug")).isFalse();
	}

	@Test
	void aMessageOfAnUnknownLevelReachesOnlyDebug() {
		assertThat(LogLevel.DEBUG.admits("verbose")).isTrue();
		assertThat(LogLevel.INFO.admits("verbose")).isFalse();
	}

	@Test
	void levelsAreNamedAsTheSpecificationWritesThem() {
		assertThat(LogLevel.named("critical")).contains(LogLevel.CRITICAL);
		assertThat(LogLevel.named("WARNING")).isEmpty();
		assertThat(LogLevel.named("warn")).isEmpty();
		assertThat(LogLevel.CRITICAL.wireName()).isEqualTo("critical");
	}

	@Test
	void theLowerOfTwoIsTheMoreTalkative() {
		assertThat(LogLevel.WARNING.lower(LogLevel.DEBUG)).isEqualTo(LogLevel.DEBUG);
		assertThat(LogLevel.DEBUG.lower(LogLevel.WARNING)).isEqualTo(LogLevel.DEBUG);
	}

}
