package dev.vmcp.sessions.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.policy.PolicyProperties.Effect;
import dev.vmcp.sessions.policy.PolicyProperties.Rule;

/**
 * Decides whether a caller sees an item of a member: hidden when a deny rule matches;
 * where allow rules exist, shown only when one of them matches; shown when there are no
 * rules. A rule that fails while it is evaluated (a claim of the wrong type, say) counts
 * against the caller: a deny rule as matched, an allow rule as not. Compiled once;
 * thread-safe.
 */
public final class ItemPolicy {

	private static final Logger logger = LoggerFactory.getLogger(ItemPolicy.class);

	/** Shows everything. */
	public static final ItemPolicy NONE = new ItemPolicy(List.of(), List.of());

	private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
		.setStandardMacros(CelStandardMacro.STANDARD_MACROS)
		// The extensions Kubernetes and Envoy rules use: substring, lowerAscii, split...
		.addLibraries(CelExtensions.strings(), CelExtensions.lists())
		.addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
		.addVar("member", SimpleType.STRING)
		.addVar("kind", SimpleType.STRING)
		.addVar("item", MapType.create(SimpleType.STRING, SimpleType.DYN))
		.setResultType(SimpleType.BOOL)
		.build();

	private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
		.addLibraries(CelExtensions.strings(), CelExtensions.lists())
		.build();

	private final List<CompiledRule> allows;

	private final List<CompiledRule> denies;

	private ItemPolicy(List<CompiledRule> allows, List<CompiledRule> denies) {
		this.allows = List.copyOf(allows);
		this.denies = List.copyOf(denies);
	}

	/**
	 * Compiles the rules of {@code vmcp.policy.rules}.
	 * @throws PolicyCompilationException naming the first rule that does not compile,
	 * with CEL's line and column
	 */
	public static ItemPolicy compile(List<Rule> rules) {
		List<CompiledRule> allows = new ArrayList<>();
		List<CompiledRule> denies = new ArrayList<>();
		for (int index = 0; index < rules.size(); index++) {
			Rule rule = rules.get(index);
			CompiledRule compiled = compile(rule, "vmcp.policy.rules[" + index + "].when");
			((rule.effect() == Effect.ALLOW) ? allows : denies).add(compiled);
		}
		return new ItemPolicy(allows, denies);
	}

	private static CompiledRule compile(Rule rule, String property) {
		CelValidationResult result = COMPILER.compile(rule.when());
		if (result.hasError()) {
			throw new PolicyCompilationException(
					property + " (rule '" + rule.name() + "') does not compile:\n" + result.getErrorString());
		}
		try {
			CelAbstractSyntaxTree ast = result.getAst();
			return new CompiledRule(rule.name(), RUNTIME.createProgram(ast));
		}
		catch (Exception ex) {
			throw new PolicyCompilationException(
					property + " (rule '" + rule.name() + "') does not compile: " + ex.getMessage());
		}
	}

	/** Whether there are rules at all (without, every item is shown). */
	public boolean isEmpty() {
		return this.allows.isEmpty() && this.denies.isEmpty();
	}

	/**
	 * Whether the caller with these token claims sees the item.
	 * @param claims the caller's token claims, as the token carries them (empty for an
	 * anonymous caller)
	 * @param kind {@code tool}, {@code prompt}, {@code resource} or
	 * {@code resourceTemplate}
	 * @param item the item as the member describes it (names as clients see them)
	 */
	public boolean shows(Map<String, Object> claims, String member, String kind, JsonNode item) {
		return shows(new Subject(claims), member, kind, item);
	}

	/** As {@link #shows(Map, String, String, JsonNode)}, the claims converted once. */
	public boolean shows(Subject subject, String member, String kind, JsonNode item) {
		if (isEmpty()) {
			return true;
		}
		Map<String, Object> variables = Map.of("claims", subject.values(), "member", member, "kind", kind, "item",
				CelValues.ofJson(item));
		for (CompiledRule deny : this.denies) {
			if (deny.matches(variables, true)) {
				return false;
			}
		}
		if (this.allows.isEmpty()) {
			return true;
		}
		for (CompiledRule allow : this.allows) {
			if (allow.matches(variables, false)) {
				return true;
			}
		}
		return false;
	}

	/** A caller's claims, converted for CEL once for the many items of a list. */
	public static final class Subject {

		private final Map<String, Object> values;

		public Subject(Map<String, Object> claims) {
			this.values = CelValues.ofClaims(claims);
		}

		Map<String, Object> values() {
			return this.values;
		}

	}

	/** A compiled rule; says once in the log that it failed, not on every item. */
	private static final class CompiledRule {

		private final String name;

		private final CelRuntime.Program program;

		private final AtomicBoolean failureLogged = new AtomicBoolean();

		CompiledRule(String name, CelRuntime.Program program) {
			this.name = name;
			this.program = program;
		}

		boolean matches(Map<String, Object> variables, boolean onFailure) {
			try {
				if (this.program.eval(variables) instanceof Boolean matched) {
					return matched;
				}
				return failed(variables, "its condition is not a boolean", onFailure);
			}
			catch (CelEvaluationException ex) {
				return failed(variables, ex.getMessage(), onFailure);
			}
		}

		private boolean failed(Map<String, Object> variables, String why, boolean onFailure) {
			if (this.failureLogged.compareAndSet(false, true)) {
				logger.warn(
						"Policy rule '{}' failed on {} of {} ({}); it counts against the caller. "
								+ "Further failures of this rule are logged at DEBUG",
						this.name, variables.get("kind"), variables.get("member"), why);
			}
			else {
				logger.debug("Policy rule '{}' failed on {}: {}", this.name, variables.get("item"), why);
			}
			return onFailure;
		}

	}

}
