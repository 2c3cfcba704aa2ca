package dev.vmcp.sessions.conformance;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One check of a scenario, as the suite writes it to the scenario's {@code checks.json}.
 *
 * @param id the check id, e.g. {@code tools-call-sampling}
 * @param name the check name, e.g. {@code ToolsCallSampling}
 * @param status the outcome
 * @param description what was checked
 * @param errorMessage why it failed, if it did and the suite said why
 */
public record ConformanceCheck(String id, String name, Status status, String description,
		@Nullable String errorMessage) {

	/** The outcomes the suite reports; only {@link #FAILURE} fails a scenario. */
	public enum Status {

		SUCCESS, FAILURE, WARNING, SKIPPED, INFO;

		/**
		 * The status the suite wrote, {@link #FAILURE} for one this code does not know,
		 * so that a newer suite cannot pass by surprise.
		 * @param value the status as written, e.g. {@code SUCCESS}
		 * @return the status
		 */
		static Status parse(String value) {
			try {
				return valueOf(value.toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				return FAILURE;
			}
		}

	}

	/**
	 * Whether this check failed.
	 * @return {@code true} for {@link Status#FAILURE}
	 */
	public boolean failed() {
		return this.status == Status.FAILURE;
	}

	@Override
	public String toString() {
		return this.name + " [" + this.status + "]: "
				+ ((this.errorMessage != null) ? this.errorMessage : this.description);
	}

}
