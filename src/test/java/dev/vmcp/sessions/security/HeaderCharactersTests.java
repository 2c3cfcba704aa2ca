package dev.vmcp.sessions.security;

import java.util.Random;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header checks agree with the regular expressions of Spring Security's firewall.
 */
class HeaderCharactersTests {

	@Test
	void allowsWhatTheFirewallAllowsAndRefusesWhatItRefuses() {
		assertThat(HeaderCharacters.isAllowedValue("Bearer abc.def")).isTrue();
		assertThat(HeaderCharacters.isAllowedValue("a\tb")).isTrue();
		assertThat(HeaderCharacters.isAllowedName("a\tb")).isFalse();
		assertThat(HeaderCharacters.isAllowedValue("a\nb")).isFalse();
		assertThat(HeaderCharacters.isAllowedValue("a\u0085b")).isFalse();
		assertThat(HeaderCharacters.isAllowedValue("a\u0378b")).isFalse(); // unassigned
		assertThat(HeaderCharacters.isAllowedValue("")).isTrue();
	}

	@Test
	void agreesWithTheFirewallsOwnChecksOnRandomText() {
		Random random = new Random(11);
		for (int i = 0; i < 50_000; i++) {
			String text = randomText(random);
			agree(HeaderCharacters::isAllowedName, StrictHttpFirewall.ALLOWED_HEADER_NAMES, text);
			agree(HeaderCharacters::isAllowedValue, StrictHttpFirewall.ALLOWED_HEADER_VALUES, text);
		}
	}

	private static void agree(Predicate<String> ours, Predicate<String> firewalls, String text) {
		assertThat(ours.test(text)).as("'%s'", text.codePoints().mapToObj(Integer::toHexString).toList())
			.isEqualTo(firewalls.test(text));
	}

	/**
	 * Mostly printable ASCII, with control, unassigned, surrogate and supplementary code
	 * points.
	 */
	private static String randomText(Random random) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(6);
		for (int i = 0; i < length; i++) {
			switch (random.nextInt(6)) {
				case 0 -> text.append((char) random.nextInt(0x20));
				case 1 -> text.append((char) (0x7f + random.nextInt(0x30)));
				case 2 -> text.append((char) random.nextInt(0x10000));
				case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
				default -> text.append((char) (0x20 + random.nextInt(0x5f)));
			}
		}
		return text.toString();
	}

}
