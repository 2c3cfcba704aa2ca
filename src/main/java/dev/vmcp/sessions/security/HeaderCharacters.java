package dev.vmcp.sessions.security;

/**
 * The header checks of Spring Security's {@code StrictHttpFirewall}, as loops instead of
 * regular expressions: the firewall checks a header each time it is read, the bearer
 * token included, several times per request. The rules are the firewall's defaults: every
 * character of a name is assigned and not a control character; a value may hold tabs
 * besides.
 */
public final class HeaderCharacters {

	private HeaderCharacters() {
	}

	public static boolean isAllowedName(String name) {
		return allMatch(name, false);
	}

	public static boolean isAllowedValue(String value) {
		return allMatch(value, true);
	}

	private static boolean allMatch(String text, boolean tabAllowed) {
		int length = text.length();
		for (int index = 0; index < length;) {
			int codePoint = text.codePointAt(index);
			boolean allowed = (codePoint == '\t') ? tabAllowed
					: Character.getType(codePoint) != Character.UNASSIGNED && !Character.isISOControl(codePoint);
			if (!allowed) {
				return false;
			}
			index += Character.charCount(codePoint);
		}
		return true;
	}

}
