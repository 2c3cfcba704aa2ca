package dev.vmcp.sessions.policy;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-caller views of the members' items, under {@code vmcp.policy}.
 *
 * @param rules the rules, each a CEL condition over {@code claims}, {@code member},
 * {@code kind} and {@code item}; none shows everything
 */
@ConfigurationProperties("vmcp.policy")
@Validated
public record PolicyProperties(@DefaultValue @Valid List<Rule> rules) {

	/**
	 * One rule.
	 *
	 * @param name what the rule is for, named in logs and start-up errors
	 * @param effect {@code deny}: an item it matches is hidden; {@code allow}: where any
	 * allow rule exists, only items one of them matches are shown
	 * @param when the CEL condition, true where the rule applies
	 */
	public record Rule(@NotBlank String name, @NotNull Effect effect, @NotBlank String when) {

	}

	/** What a matching rule does. */
	public enum Effect {

		ALLOW, DENY

	}

}
