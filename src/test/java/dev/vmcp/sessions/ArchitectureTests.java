package dev.vmcp.sessions;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape the design asks for: no package cycles, each MCP revision's flow apart from
 * the other's, and the web layer never touches Redis.
 */
@AnalyzeClasses(packages = "dev.vmcp.sessions", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("dev.vmcp.sessions.(*)..").should().beFreeOfCycles();

	/**
	 * The layout shows the two paths of {@code /mcp}: each revision's flow in its own
	 * package, on top of what they share, which knows neither.
	 */
	@ArchTest
	static final ArchRule sharedMcpKnowsNoRevision = noClasses().that()
		.resideInAPackage("dev.vmcp.sessions.mcp")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.vmcp.sessions.mcp.v2025..", "dev.vmcp.sessions.mcp.v2026..");

	@ArchTest
	static final ArchRule revisionsDoNotKnowEachOther = slices().matching("dev.vmcp.sessions.mcp.(v*)..")
		.should()
		.notDependOnEachOther();

	@ArchTest
	static final ArchRule webDoesNotDependOnRedis = noClasses().that()
		.resideInAPackage("..web..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..", "dev.vmcp.sessions.redis..");

	@ArchTest
	static final ArchRule sessionCoreDoesNotDependOnWebOrSpringMvc = noClasses().that()
		.resideInAPackage("dev.vmcp.sessions.session..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.vmcp.sessions.web..", "org.springframework.web..", "jakarta.servlet..");

}
